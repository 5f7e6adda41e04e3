"""Per-client fairness for query execution: one job at a time per client, and a budget of query time.

A client is its address (behind a proxy, run uvicorn with --proxy-headers so that it is the real
one). A client is charged for the work its own queries cost: the CPU time a worker or the API
process spent on them, and a fixed cost for a worker its query crashed; never for time spent
waiting for a lane, a worker or its own earlier queries. The first `free_s` of every request's
work are free, whatever the number of reads it makes (an entity page makes several), so splitting
work does not make it free. The budget is shared by every API process of the server
(api.budgets) and refills at `refill_per_s`. A client whose budget is spent gets 429 with
Retry-After until it has refilled, so heavy queries cannot starve everyone else, while ordinary
traffic from a shared address (a Trust's network) is never throttled for its volume. A client that
owes nothing may also use the query worker kept for such clients (kg.query.query_pool), which clients
in debt never hold.
"""

from __future__ import annotations

import asyncio
import math
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from ..kg.query.query_pool import Meter
from .budgets import Budgets
from .errors import Problem

MAX_TRACKED = 10_000  # forget idle clients' slots beyond this many


@dataclass
class _Client:
    lock: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))
    waiting: int = 0


@dataclass
class Allowance:
    """One request's free seconds, spent by its reads in turn."""

    left: float


class ClientLimits:
    def __init__(
        self,
        budget_s: float = 20.0,
        refill_per_s: float = 0.2,
        free_s: float = 0.1,
        concurrency: int = 1,
        budgets: Budgets | None = None,
        crash_cost_s: float = 5.0,
    ):
        self.refill_per_s, self.free_s, self.concurrency = refill_per_s, free_s, concurrency
        self.crash_cost_s = crash_cost_s  # charged for each worker a client's query crashed
        self.budgets = budgets or Budgets(budget_s, refill_per_s)
        self._clients: dict[str, _Client] = {}  # this process's slots

    def _client(self, key: str) -> _Client:
        c = self._clients.get(key)
        if c is None:
            if len(self._clients) >= MAX_TRACKED:
                self._forget_idle()
            c = self._clients[key] = _Client(asyncio.Semaphore(self.concurrency))
        return c

    def _forget_idle(self) -> None:
        for key, c in list(self._clients.items()):
            if c.waiting == 0 and not c.lock.locked():
                del self._clients[key]

    def refuse_if_spent(self, key: str) -> float:
        """The client's balance; 429 with Retry-After while its budget is spent."""
        balance = self.budgets.balance(key)
        if balance <= 0:
            retry = math.ceil(-balance / self.refill_per_s) + 1 if self.refill_per_s > 0 else 3600
            raise Problem(
                429,
                "Too many requests",
                f"this client's budget of query time is spent; retry after {retry} s",
                headers={"Retry-After": str(retry)},
            )
        return balance

    @asynccontextmanager
    async def slot(self, key: str, wait_s: float, allowance: Allowance | None = None):
        """Hold one of the client's execution slots; 429 if its budget is spent, 503 if no slot frees
        within wait_s. Yields a Meter, which ranks the read for a worker by the balance, and
        measures the work done in the slot; what it measured beyond what is
        left of the request's free `allowance` (default: `free_s` for this one read) is charged on
        the way out."""
        balance = self.refuse_if_spent(key)
        c = self._client(key)
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
        # the balance ranks this read for a worker (kg.query.preemption); a client owing nothing
        # (what it asked so far fitted its free seconds, or has refilled) may use the kept worker
        meter = Meter(standing=balance, unspent=balance >= self.budgets.budget_s)
        try:
            yield meter
        finally:
            c.lock.release()
            free = Allowance(self.free_s) if allowance is None else allowance
            spent = min(meter.seconds, free.left)
            free.left -= spent
            self.budgets.charge(key, meter.seconds - spent + meter.crashes * self.crash_cost_s)
