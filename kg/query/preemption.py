"""Who gets a query worker: the waiting client with the most budget left, and, when every worker is
busy, which running job gives its worker up.

Heavy queries from a few clients can hold every worker for their whole deadline. A client's
standing is its budget left when its read began (api.client_limits): a job that has run for
PREEMPT_AFTER_S for a client no better placed than the one waiting is stopped, the longest-running
first, so a light client is answered within about that time however many heavy ones there are.
Quick jobs are never stopped, and a heavy client is charged the CPU time its stopped job used.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

PREEMPT_AFTER_S = 1.0  # a job younger than this is left to finish
PREEMPT_CHECK_S = 0.1  # how long a job waits for an idle worker before looking for one to stop

W = TypeVar("W")


@dataclass
class Running:
    """A job in a worker: its client's standing, when it started (the event loop's clock), and, once
    stopped to make room, the CPU seconds it had used."""

    standing: float
    started: float
    stopped_after: float | None = None


def choose_victim(busy: Iterable[tuple[W, Running]], standing: float, now: float) -> W | None:
    """The worker to stop for a client of `standing`: among jobs run PREEMPT_AFTER_S or more, not
    yet stopped, for clients whose standing is at most `standing`, the longest-running; else None."""
    candidates = [
        (r.started, w)
        for w, r in busy
        if r.stopped_after is None and now - r.started >= PREEMPT_AFTER_S and r.standing <= standing
    ]
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


class WaitingLine:
    """Idle workers, the most recently used first (its caches are warm), and the jobs waiting for
    one: a worker put back goes to the waiting job of the best-placed client, the earliest among
    equals, so a light client is not queued behind heavy ones."""

    def __init__(self) -> None:
        self._idle: list = []
        self._waiting: list[tuple[float, int, asyncio.Future]] = []  # a heap: -standing, arrival
        self._arrivals = itertools.count()

    def qsize(self) -> int:
        return len(self._idle)

    def empty(self) -> bool:
        return not self._idle

    def get_nowait(self):
        if not self._idle:
            raise asyncio.QueueEmpty()
        return self._idle.pop()

    def put_nowait(self, worker) -> None:
        while self._waiting:
            _, _, taker = heapq.heappop(self._waiting)
            if not taker.done():
                taker.set_result(worker)
                return
        self._idle.append(worker)

    async def get(self, standing: float = float("inf")):
        """An idle worker, waiting for one if none is; cancel to stop waiting."""
        if self._idle:
            return self._idle.pop()
        taker = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (-standing, next(self._arrivals), taker))
        try:
            return await taker
        except asyncio.CancelledError:
            if taker.done() and not taker.cancelled():  # given as the wait was cancelled: pass it on
                self.put_nowait(taker.result())
            raise
