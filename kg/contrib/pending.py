"""Uploads checked and shown as a preview, waiting for their publish (the /contribute page).

A pending upload is the file as sent plus what it was sent for (Trust, cluster, graph name), kept
under the store folder behind a random id, bound to the digest of the credential that sent it, and
gone after an hour. Publishing needs the id and the same credential again, and checks the file once
more: what waits here is never trusted. Bounded in number per credential, in number overall and in
bytes overall, so a credential holder cannot fill the disk with previews.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import credentials

TTL_S = 3600  # a preview can be published within the hour
PER_CREDENTIAL = 4  # the oldest of a credential's previews goes when it sends a fifth
MAX_COUNT = 32  # overall, once expired ones are gone
MAX_BYTES = 100_000_000  # overall, once expired ones are gone
ID = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32): 256 random bits


class PendingFull(Exception):
    """Too many previews are waiting (every one still within its hour): try again later."""


@dataclass(frozen=True)
class Pending:
    """What a preview was for; the file itself is `body`."""

    slug: str
    trust: str
    cluster: str
    file_name: str
    media: str
    created: float
    credential: str  # SHA-256 of the credential that sent it
    sha256: str  # of the body, checked when it is read back
    body: bytes = b""


class PendingUploads:
    """The waiting previews of one store, in `folder` (made on first use)."""

    def __init__(self, folder: Path, ttl_s: float = TTL_S):
        self.folder, self.ttl_s = Path(folder), ttl_s

    def put(
        self, body: bytes, token: str, *, slug: str, trust: str, cluster: str, file_name: str, media: str
    ) -> str:
        """Keep an upload for its publish; its id. PendingFull when no room is left."""
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = credentials.digest(token)
        waiting = self._prune()
        own = sorted((p for p in waiting if p[1].credential == digest), key=lambda p: p[1].created)
        for pid, _ in own[: max(0, len(own) - PER_CREDENTIAL + 1)]:
            self.discard(pid)
            waiting = [p for p in waiting if p[0] != pid]
        used = sum(
            self._path(pid, "bin").stat().st_size for pid, _ in waiting if self._path(pid, "bin").exists()
        )
        if len(waiting) >= MAX_COUNT or used + len(body) > MAX_BYTES:
            raise PendingFull(f"{len(waiting)} previews ({used} bytes) are waiting to be published")
        pid = secrets.token_urlsafe(32)
        meta = Pending(
            slug, trust, cluster, file_name, media, time.time(), digest, hashlib.sha256(body).hexdigest()
        )
        _write(
            self._path(pid, "json"),
            json.dumps({k: v for k, v in asdict(meta).items() if k != "body"}).encode(),
        )
        _write(self._path(pid, "bin"), body)
        return pid

    def get(self, pid: str, token: str) -> Pending | None:
        """The upload kept as `pid` if it is still waiting and `token` is the credential that sent it."""
        meta = self._meta(pid)
        if meta is None or not hmac.compare_digest(meta.credential, credentials.digest(token)):
            return None
        try:
            body = self._path(pid, "bin").read_bytes()
        except OSError:
            return None
        if hashlib.sha256(body).hexdigest() != meta.sha256:
            return None
        return Pending(**{**asdict(meta), "body": body})

    def discard(self, pid: str) -> None:
        """Forget a pending upload (after its publish, or when it expired)."""
        if ID.fullmatch(pid):
            for ext in ("json", "bin"):
                self._path(pid, ext).unlink(missing_ok=True)

    def _meta(self, pid: str) -> Pending | None:
        if not ID.fullmatch(pid):  # no path from a form ever reaches the file system unchecked
            return None
        try:
            meta = Pending(**json.loads(self._path(pid, "json").read_bytes()))
        except (OSError, ValueError, TypeError):
            return None
        if time.time() - meta.created > self.ttl_s:
            self.discard(pid)
            return None
        return meta

    def _prune(self) -> list[tuple[str, Pending]]:
        """The previews still waiting; expired ones and stray files are removed."""
        waiting = []
        for path in self.folder.iterdir():
            pid = path.name.split(".")[0]
            if path.suffix == ".json":
                meta = self._meta(pid)
                if meta is not None:
                    waiting.append((pid, meta))
            elif path.suffix in (".bin", ".tmp") and not self._path(pid, "json").exists():
                _remove_if_older(path, self.ttl_s)  # a body whose record expired, or a write cut short
        return waiting

    def _path(self, pid: str, ext: str) -> Path:
        return self.folder / f"{pid}.{ext}"


def _remove_if_older(path: Path, age_s: float) -> None:
    try:
        if time.time() - path.stat().st_mtime > age_s:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: written under a temporary name, then renamed."""
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
