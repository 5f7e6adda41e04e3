"""Which jobs may run in the API process: those already measured quick in a worker.

pyoxigraph cannot stop a running query, so a job runs in the API process only when its cost is
known: the same job (same query text, parameters bound, same dataset) on the same store generation
does the same work, and it did it in a worker, where a deadline could have killed it, within
`max_s`. Unknown and slow jobs stay in the workers. Keyed by the exact job, a new text or parameter
value is always measured in a worker first, so no request can make the API process run unbounded
work; a quick job that ever runs slow in-process goes back to the workers.

Time here is the CPU time of the thread that ran the job, not the clock: on a busy machine a quick
job is preempted, not made longer. Timed by the clock, quick jobs flapped back to the workers under
load and queued behind the slow jobs there (16 clients' p99 with 2 abusive ones: 4x alone, 2x with
CPU time).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class QuickJobs:
    """The jobs measured at most `max_s` seconds, the `size` most recently used (an LRU), each with
    the length of its answer when that answer was whole (no rows cut): the same job on the same
    data gives the same answer, so a whole one can be written without counting rows, and an answer
    of another length shows that it was not the same after all (kg.query.query_jobs.execute)."""

    def __init__(self, max_s: float, size: int = 4096):
        self.max_s, self.size = max_s, size
        self._known: OrderedDict[Hashable, int | None] = OrderedDict()

    def is_quick(self, key: Hashable) -> bool:
        if key not in self._known:
            return False
        self._known.move_to_end(key)
        return True

    def whole_size(self, key: Hashable) -> int | None:
        """The length of the job's last answer if it held every row, else (or unknown) None."""
        return self._known.get(key)

    def measured(self, key: Hashable, seconds: float, whole_size: int | None = None) -> None:
        """Record one run's time: quick ones are remembered, a slow one is forgotten."""
        if seconds > self.max_s:
            self.forget(key)
            return
        self._known[key] = whole_size
        self._known.move_to_end(key)
        if len(self._known) > self.size:
            self._known.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        """Send the job back to the workers."""
        self._known.pop(key, None)
