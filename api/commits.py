"""The problem a commit that wrote nothing answers, naming its cause, never a bare 500.

Statuses: 507 Insufficient Storage when the disk or the quota is full (the request may pass once
space is freed, or when smaller). Every other cause (a read-only file system, no permission, an
I/O error) is 500: none is the client's doing and none passes by waiting, as a 503 would tell
clients and their retry loops; the problem's detail names it for whoever runs the server. Paths
stay in the log, never in the answer. api.writes runs commits and calls this.
"""

from __future__ import annotations

import errno

from ..kg.store.faults import CommitFailed
from .errors import Problem


def failed(exc: CommitFailed) -> Problem:
    """The problem a commit that wrote nothing answers: 507 when space ran out, 500 otherwise."""
    code = errno.errorcode.get(exc.errno or 0, "unknown")
    detail = f"{exc.cause}; nothing was written and the store serves what it served before"
    if exc.no_space:
        return Problem(507, "Insufficient storage", detail, cause=code)
    return Problem(500, "Store not writable", detail, cause=code)
