"""What a failed write to the disk store says: the file system's cause, in words without paths.

A commit (kg.store.seam.commit_graph) that the file system stops before its switch leaves the store
as it was; CommitFailed says so and why, so that the API can answer 507 for a full disk and the
`otkg import-package` command can print the cause instead of a traceback. CommitUnconfirmed is the
rare other case: the switch was made, only its sync failed.
"""

from __future__ import annotations

import errno
import os

# Said to clients, so no paths: the store's folder is the server's business.
CAUSES = {
    errno.ENOSPC: "no space left on the device holding the store",
    errno.EDQUOT: "the disk quota of the user running otkg is used up on the device holding the store",
    errno.EROFS: "the file system holding the store is read-only",
    errno.EACCES: "otkg is not allowed to write in the store's folder (permission denied)",
    errno.EPERM: "otkg is not allowed to write in the store's folder (operation not permitted)",
    errno.EIO: "the device holding the store reported an input/output error",
}
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})  # a write fails for want of room, not of a working disk


def fault_errno(exc: OSError) -> int | None:
    """The errno behind a failed write. pyoxigraph raises RocksDB's I/O errors as OSError without an
    errno, with the C library's message in the text ("IO error: No space left on device: While
    appending to file: ..."), so the errno is also found by its message."""
    if exc.errno is not None:
        return exc.errno
    text = str(exc)
    return next((code for code in CAUSES if os.strerror(code) in text), None)


def cause(code: int | None) -> str:
    """The cause of a failed write in words, without paths."""
    if code in CAUSES:
        return CAUSES[code]
    if code is not None:
        return f"the store could not be written ({os.strerror(code)})"
    return "the store could not be written"


class CommitFailed(OSError):
    """A commit the file system stopped before its switch. Nothing was written: `current` still names
    the generation served before and the half-made one was removed. `errno` is the cause when known
    (ENOSPC, EDQUOT, EROFS, EACCES, ...), `cause` says it without paths, `original` is the error as
    the file system or RocksDB gave it (with paths: for logs and the command line only)."""

    def __init__(self, exc: OSError):
        code = fault_errno(exc)
        super().__init__(code, cause(code))
        self.cause, self.original = cause(code), str(exc)

    @property
    def no_space(self) -> bool:
        return self.errno in NO_SPACE

    def __str__(self) -> str:
        return f"{self.cause}; nothing was written ({self.original})"


class CommitUnconfirmed(OSError):
    """A commit whose switch was made (every process serves the new generation) but could not be
    synced to disk: a crash now may still bring back the generation before."""

    def __init__(self, exc: OSError):
        code = fault_errno(exc)
        super().__init__(code, cause(code))
        self.cause, self.original = cause(code), str(exc)

    def __str__(self) -> str:
        return f"written and served, but not confirmed on disk: {self.cause} ({self.original})"
