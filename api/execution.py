"""Where API requests meet the query worker pool: deadlines, client limits, errors as problems.

Every user-supplied or named query goes through `execute`, so every one has a deadline, counts
against its client's budget, and fails with a clear problem+json rather than an empty answer.
"""
from __future__ import annotations

from fastapi import Request

from kg.query_jobs import Answer, Job, JobFailed
from kg.query_pool import DeadlineExceeded, PoolBusy, WorkerLost

from .errors import Problem
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS

OFFERED = {"select": RESULT_FORMATS, "graph": GRAPH_FORMATS, "boolean": RESULT_FORMATS}


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def execute(request: Request, job: Job, deadline: float) -> Answer:
    """Run a job in the pool within `deadline` seconds; every failure becomes a Problem."""
    state = request.app.state
    async with state.limits.slot(client_key(request), deadline):
        try:
            return await state.services.pool.run(job, deadline)
        except JobFailed as exc:
            if exc.kind == "syntax":
                raise Problem(400, "Malformed query", f"SPARQL syntax error: {exc}") from None
            if exc.kind == "unacceptable":
                offered = ", ".join(dict.fromkeys(f.media_type for f in OFFERED[str(exc)]))
                raise Problem(406, "Not acceptable", f"none of the accepted types fits a {exc} result; "
                              f"this query's answer is offered as {offered}") from None
            raise Problem(400, "Query failed", str(exc)) from None
        except DeadlineExceeded:
            raise Problem(503, "Query timed out", f"the query ran longer than its {deadline:g} s deadline and "
                          "was stopped; narrow it (LIMIT, more specific patterns) and try again") from None
        except PoolBusy:
            raise Problem(503, "Busy", f"no query worker became free within {deadline:g} s; retry shortly",
                          headers={"Retry-After": "1"}) from None
        except WorkerLost:
            raise Problem(503, "Query failed", "the worker running this query stopped unexpectedly; "
                          "it has been replaced", headers={"Retry-After": "1"}) from None
