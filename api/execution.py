"""The execution policy every read follows, JSON routes and pages alike: one deadline per request,
each run holding one of its client's slots and charged to its budget, failures as problems.

Store work runs in the query workers (kg.query.query_pool), which a deadline can kill; text search runs in
a thread that SQLite's progress handler stops at the deadline. Nothing reads the store on the
event loop, so one slow read never holds up another client's.
"""

from __future__ import annotations

import asyncio
import time

from fastapi import Request

from ..kg.query.query_jobs import Answer, Job, JobFailed
from ..kg.query.query_pool import DeadlineExceeded, PoolBusy, Preempted, WorkerLost
from ..kg.query.reads import Read
from ..kg.query.search import Hit, SearchTimedOut
from .client_limits import Allowance
from .errors import Problem
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS

OFFERED = {"select": RESULT_FORMATS, "graph": GRAPH_FORMATS, "boolean": RESULT_FORMATS}


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class Reads:
    """One request's reads: all within `deadline` seconds of its start, one at a time per client slot."""

    def __init__(self, request: Request, deadline: float):
        state = request.app.state
        self.services, self.settings, self._limits = state.services, state.settings, state.limits
        self.client, self.deadline = client_key(request), deadline
        self._ends = time.monotonic() + deadline
        self._free = Allowance(self._limits.free_s)  # shared by all the request's reads

    def left(self) -> float:
        """Seconds until the request's deadline (0 once past)."""
        return max(0.0, self._ends - time.monotonic())

    async def run(self, job: Job | Read):
        """A job's answer from the worker pool (a Read's plain data); every failure becomes a Problem."""
        async with self._limits.slot(self.client, self.left(), self._free) as meter:
            try:
                return await self.services.pool.run(job, self.left(), meter)
            except JobFailed as exc:
                raise _failed(exc) from None
            except DeadlineExceeded:
                raise Problem(
                    503,
                    "Query timed out",
                    f"the query ran longer than its {self.deadline:g} s deadline "
                    "and was stopped; narrow it (LIMIT, more specific patterns) and try again",
                ) from None
            except PoolBusy:
                raise Problem(
                    503,
                    "Busy",
                    f"no query worker became free within {self.deadline:g} s; retry shortly",
                    headers={"Retry-After": "1"},
                ) from None
            except Preempted:
                raise Problem(
                    503,
                    "Query stopped to make room",
                    "this query ran long while clients with more of their query time left waited "
                    "for a worker, and was stopped; narrow it (LIMIT, more specific patterns) or retry later",
                    headers={"Retry-After": "5"},
                ) from None
            except WorkerLost:
                raise Problem(
                    503,
                    "Query failed",
                    "the worker running this query stopped unexpectedly; it has been replaced",
                    headers={"Retry-After": "1"},
                ) from None

    async def search(self, q: str, limit: int) -> list[Hit]:
        """Ranked hits from the text index, in a thread, stopped at the deadline. The index is first
        brought up to the store's generation (a commit in any process): waiting for that is no work
        of the client's, so it is not charged, but it counts towards the deadline."""
        try:
            index = await self.services.current_search(self.left())
        except TimeoutError:
            raise self._search_timed_out() from None
        async with self._limits.slot(self.client, self.left(), self._free) as meter:

            def timed() -> list[Hit]:  # the search's own CPU time, not its wait for a thread
                started = time.thread_time()
                try:
                    return index.search(q, limit, self.left())
                finally:
                    meter.seconds += time.thread_time() - started

            try:
                return await asyncio.to_thread(timed)
            except SearchTimedOut:
                raise self._search_timed_out() from None

    def _search_timed_out(self) -> Problem:
        return Problem(
            503,
            "Search timed out",
            f"the search ran longer than its {self.deadline:g} s "
            "deadline and was stopped; use fewer or longer words and try again",
            headers={"Retry-After": "1"},
        )


def _failed(exc: JobFailed) -> Problem:
    if exc.kind == "syntax":
        return Problem(400, "Malformed query", f"SPARQL syntax error: {exc}")
    if exc.kind == "memory":  # the worker's limit (kg.query.worker_limits): the worker was replaced
        return Problem(503, "Query used too much memory", str(exc))
    if exc.kind == "too large":
        return Problem(503, "Answer too large", str(exc))
    if exc.kind == "unacceptable":
        offered = ", ".join(dict.fromkeys(f.media_type for f in OFFERED[str(exc)]))
        return Problem(
            406,
            "Not acceptable",
            f"none of the accepted types fits a {exc} result; this query's answer is offered as {offered}",
        )
    return Problem(400, "Query failed", str(exc))


async def execute(request: Request, job: Job, deadline: float) -> Answer:
    """Run one job under the policy with its own deadline (a request with a single read)."""
    return await Reads(request, deadline).run(job)
