"""Clients' budgets of query time, one table for every API process of a server (a shared file mapped
into each), so that a client sending to two processes does not get two budgets.

A client is a 64-bit digest of its address. Each entry holds the balance and when it was last
charged; the balance refills with time as it is read, so an entry is written only when a query is
charged, under an exclusive lock on the file. Balances are read without the lock: a read racing a
charge sees the balance before or after it, as if it came a moment earlier or later.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import tempfile
import time
from pathlib import Path

ENTRY = struct.Struct(
    "=Qdd"
)  # client digest (0: free), balance in seconds, monotonic time of the last charge
SLOTS = 1 << 14  # 16,384 clients in debt at once (384 KiB); a fully refilled entry is free again
PROBES = 16  # entries a client may live in, from its digest's own
ENV = "OTKG_BUDGET_FILE"  # set by `otkg serve` for the processes it starts (api.settings.budget_file)


def create_file(directory: Path) -> Path:
    """A new, empty table file for one server's processes."""
    fd, name = tempfile.mkstemp(prefix="otkg-budgets-", dir=directory)
    os.ftruncate(fd, SLOTS * ENTRY.size)
    os.close(fd)
    return Path(name)


class Budgets:
    """Every client's balance: `budget_s` seconds at most, refilled at `refill_per_s` a second. Kept in
    the file `path` (shared by the processes that map it), or in this process only when None."""

    def __init__(self, budget_s: float, refill_per_s: float, path: Path | None = None):
        self.budget_s, self.refill_per_s = budget_s, refill_per_s
        if path is None:
            self._fd = None
            self._map = mmap.mmap(-1, SLOTS * ENTRY.size)
        else:
            self._fd = os.open(path, os.O_RDWR)
            self._map = mmap.mmap(self._fd, SLOTS * ENTRY.size)

    def balance(self, client: str) -> float:
        """The client's balance now (the full budget for one never charged)."""
        digest, now = _digest(client), time.monotonic()
        for i in self._probe(digest):
            key, balance, stamp = ENTRY.unpack_from(self._map, i * ENTRY.size)
            if key == digest:
                return self._refilled(balance, stamp, now)
        return self.budget_s

    def charge(self, client: str, seconds: float) -> None:
        """Take `seconds` from the client's balance."""
        if seconds <= 0:
            return
        digest = _digest(client)
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            now = time.monotonic()
            slot, balance = self._entry(digest, now)
            ENTRY.pack_into(self._map, slot * ENTRY.size, digest, balance - seconds, now)
        finally:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _entry(self, digest: int, now: float) -> tuple[int, float]:
        """The client's slot and balance, else a free one (never used, or refilled: the same as free),
        else the one nearest to refilled, whose client is forgiven what it still owed."""
        free, nearest, nearest_balance = None, None, -float("inf")
        for i in self._probe(digest):
            key, balance, stamp = ENTRY.unpack_from(self._map, i * ENTRY.size)
            if key == digest:
                return i, self._refilled(balance, stamp, now)
            left = self.budget_s if key == 0 else self._refilled(balance, stamp, now)
            if free is None and left >= self.budget_s:
                free = i
            if left > nearest_balance:
                nearest, nearest_balance = i, left
        assert nearest is not None
        return (nearest if free is None else free), self.budget_s

    def _probe(self, digest: int) -> range | list[int]:
        start = digest % SLOTS
        if start + PROBES <= SLOTS:
            return range(start, start + PROBES)
        return [(start + k) % SLOTS for k in range(PROBES)]

    def _refilled(self, balance: float, stamp: float, now: float) -> float:
        return min(self.budget_s, balance + (now - stamp) * self.refill_per_s)

    def close(self) -> None:
        self._map.close()
        if self._fd is not None:
            os.close(self._fd)


def _digest(client: str) -> int:
    # never 0, which marks a free entry
    return int.from_bytes(hashlib.blake2b(client.encode(), digest_size=8).digest(), "little") or 1
