"""Per-client fairness for query execution: one job at a time per client, and a budget of slow seconds.

A client is its address (behind a proxy, run uvicorn with --proxy-headers so that it is the real
one). Quick queries are free: only the time a job runs beyond `free_s` is charged to the client's
budget, which refills at `refill_per_s`. The free time is per request, whatever
the number of reads it makes (an entity page makes several), so splitting work does not make it free. A client whose budget is spent gets 429 with Retry-After
until it has refilled, so heavy queries cannot starve everyone else, while ordinary traffic from a
shared address (a Trust's network) is never throttled for its volume.
"""

from __future__ import annotations

import asyncio
import math
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from .errors import Problem

MAX_TRACKED = 10_000  # forget refilled, idle clients beyond this many


@dataclass
class _Client:
    balance: float
    stamp: float
    lock: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))
    waiting: int = 0


@dataclass
class Allowance:
    """One request's free seconds, spent by its reads in turn."""

    left: float


class ClientLimits:
    def __init__(
        self, budget_s: float = 20.0, refill_per_s: float = 0.2, free_s: float = 0.1, concurrency: int = 1
    ):
        self.budget_s, self.refill_per_s, self.free_s = budget_s, refill_per_s, free_s
        self.concurrency = concurrency
        self._clients: dict[str, _Client] = {}

    def _client(self, key: str) -> _Client:
        now = time.monotonic()
        c = self._clients.get(key)
        if c is None:
            if len(self._clients) >= MAX_TRACKED:
                self._forget_idle(now)
            c = self._clients[key] = _Client(self.budget_s, now, asyncio.Semaphore(self.concurrency))
        c.balance = min(self.budget_s, c.balance + (now - c.stamp) * self.refill_per_s)
        c.stamp = now
        return c

    def _forget_idle(self, now: float) -> None:
        for key, c in list(self._clients.items()):
            if c.waiting == 0 and c.balance + (now - c.stamp) * self.refill_per_s >= self.budget_s:
                del self._clients[key]

    @asynccontextmanager
    async def slot(self, key: str, wait_s: float, allowance: Allowance | None = None):
        """Hold one of the client's execution slots; 429 if its budget is spent, 503 if no slot frees
        within wait_s. The body's run time beyond what is left of the request's free `allowance`
        (default: `free_s` for this one read) is charged on the way out."""
        c = self._client(key)
        if c.balance <= 0:
            retry = math.ceil(-c.balance / self.refill_per_s) + 1
            raise Problem(
                429,
                "Too many requests",
                f"this client's budget of slow-query time is spent; retry after {retry} s",
                headers={"Retry-After": str(retry)},
            )
        c.waiting += 1
        try:
            if c.lock.locked():
                await asyncio.wait_for(c.lock.acquire(), wait_s)
            else:
                await c.lock.acquire()  # free: taken at once, with no timer or task
        except TimeoutError:
            raise Problem(
                503,
                "Busy",
                "this client's earlier queries are still running; retry shortly",
                headers={"Retry-After": "1"},
            ) from None
        finally:
            c.waiting -= 1
        started = time.monotonic()
        try:
            yield
        finally:
            c.lock.release()
            c = self._client(key)
            took = time.monotonic() - started
            free = Allowance(self.free_s) if allowance is None else allowance
            spent = min(took, free.left)
            free.left -= spent
            c.balance -= took - spent
