"""Hand memory that the process has freed back to the system (glibc keeps it otherwise).

A full scan of a large disk store (the search index reads every label and quote) leaves tens of MiB
freed but still held by the C allocator; each API process would carry them for its whole life.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


def return_freed_memory() -> bool:
    """True if the C allocator was asked to give its free pages back (glibc's malloc_trim)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
