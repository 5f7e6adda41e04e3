"""A route's write (an upload, a sheet import, a removal) committed to the store, with the file
system's failures answered as problems that name their cause, never a bare 500.

Statuses: 507 Insufficient Storage when the disk or the quota is full (the request may pass once
space is freed, or when smaller). Every other cause (a read-only file system, no permission, an
I/O error) is 500: none is the client's doing and none passes by waiting, as a 503 would tell
clients and their retry loops; the problem's detail names it for whoever runs the server. Paths
stay in the log, never in the answer.
"""

from __future__ import annotations

import errno
import logging

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from ..kg.store.faults import CommitFailed, CommitUnconfirmed
from ..kg.store.seam import GraphStore
from .errors import Problem

log = logging.getLogger("otkg.api")


async def commit(store: GraphStore, graph: str, triples: list[ox.Triple] | None) -> tuple[str, bool]:
    """store.commit in a thread: the new generation and whether the graph existed. LookupError
    (removing a graph that is not there) is left to the route."""
    try:
        return await run_in_threadpool(store.commit, graph, triples)
    except CommitFailed as exc:
        log.error("commit of <%s> failed, nothing written: %s", graph, exc.original)
        raise failed(exc) from None
    except CommitUnconfirmed as exc:
        log.error("commit of <%s> switched but not synced: %s", graph, exc.original)
        raise Problem(
            500,
            "Write not confirmed",
            f"the graph was written and is served, but the store could not confirm it is on disk: "
            f"{exc.cause}; a crash now may bring back the graph as it was",
            cause=errno.errorcode.get(exc.errno or 0, "unknown"),
        ) from None


def failed(exc: CommitFailed) -> Problem:
    """The problem a commit that wrote nothing answers: 507 when space ran out, 500 otherwise."""
    code = errno.errorcode.get(exc.errno or 0, "unknown")
    detail = f"{exc.cause}; nothing was written and the store serves what it served before"
    if exc.no_space:
        return Problem(507, "Insufficient storage", detail, cause=code)
    return Problem(500, "Store not writable", detail, cause=code)
