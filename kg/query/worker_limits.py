"""What one job may use in a query worker: memory and answer bytes (issue 22).

pyoxigraph cannot be told to stop, nor asked how much memory a query holds, so a thread in each
worker watches the process's resident memory while a job runs, and past the limit answers for the
job and ends the process, which the pool replaces. An address-space limit set well above it is the
backstop for growth faster than the watch looks (the worker then aborts, a crash).
"""

from __future__ import annotations

import os
import resource
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from .query_jobs import JobFailed

POLL_S = 0.005  # how often a running job's memory is looked at: at ~2 GB/s it overshoots by ~10 MB
MEMORY_EXIT = 3  # a worker's exit status after the watch stopped it


def resident_bytes() -> int:
    """This process's resident memory (0 where /proc cannot say)."""
    return _statm(1)


def _statm(field: int) -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def too_large(size: int, limit: int) -> JobFailed:
    return JobFailed(
        "too large",
        f"the answer would be {size / 2**20:.1f} MiB, over the {limit / 2**20:g} MiB limit on an answer; "
        "ask for fewer rows (LIMIT) or shorter values",
    )


class MemoryWatch:
    """Stops the worker when a job grows its resident memory `limit` bytes past what it held when
    ready; `send` writes the job's last reply to the API process."""

    def __init__(self, limit: int, send: Callable[[object], None]):
        self.limit, self._send = limit, send
        self._base = resident_bytes()
        self._busy, self._lock = threading.Event(), threading.Lock()
        self._job_cpu = 0.0
        vm = _statm(0)  # the address space in use
        if vm:  # the backstop: reserved address space counts here, so it sits far above the watch's limit
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            backstop = vm + 4 * limit
            if hard == resource.RLIM_INFINITY or backstop < hard:
                resource.setrlimit(resource.RLIMIT_AS, (backstop, hard))
        threading.Thread(target=self._watch, daemon=True, name="otkg-memory-watch").start()

    @contextmanager
    def job(self):
        """Watch while the body runs; once it returns, the watch no longer answers for it."""
        self._job_cpu = time.process_time()
        self._busy.set()
        try:
            yield
        finally:
            with self._lock:  # a watch already answering holds it, and ends the process inside
                self._busy.clear()

    def _watch(self) -> None:
        while True:
            self._busy.wait()
            time.sleep(POLL_S)
            if resident_bytes() - self._base <= self.limit:
                continue
            with self._lock:
                if not self._busy.is_set():
                    continue
                failed = JobFailed(
                    "memory",
                    f"the query needed more than its {self.limit / 2**20:g} MiB of memory and was stopped; "
                    "narrow it (LIMIT, fewer or shorter values) and try again",
                )
                self._send((failed, time.process_time() - self._job_cpu, time.process_time()))
                os._exit(MEMORY_EXIT)
