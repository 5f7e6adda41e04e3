"""Queries run in worker processes that can be killed, so every query has a deadline.

pyoxigraph cannot interrupt a running query and a Python thread cannot be killed, but a process
can. Each API process keeps a few workers, each with its own handle on the same store. A job
past its deadline has its worker SIGKILLed and replaced in the background, while the other
workers keep serving; a worker that crashes (a hostile query) is replaced the same way.

The hop to a worker costs more than a quick query itself (about 0.5 ms a request on two cores), so
a job already measured quick in a worker runs in the API process on its own copy of the store
(kg.query.quick_jobs says which; `inline_s` sets how quick).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import pickle
import signal
import struct
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from ..sparql_text import calls_volatile
from .preemption import PREEMPT_CHECK_S, Running, WaitingLine, choose_victim
from .query_jobs import Answer, Job, JobFailed, NotAsMeasured, execute
from .quick_jobs import QuickJobs
from .reads import Read, perform
from .worker_limits import MemoryWatch, too_large

if TYPE_CHECKING:
    from ..store.seam import GraphStore

log = logging.getLogger("otkg.pool")
# Not fork: the API process has event-loop and RocksDB threads a fork would copy half-way. A
# forkserver is started clean (spawned) and imports once what a worker needs; each worker is then a
# cheap fork of it sharing those modules' pages (issue 22, item 7), rather than a spawned process
# importing everything anew.
_CTX = multiprocessing.get_context("forkserver")
_CTX.set_forkserver_preload(["__main__", __name__, __name__.rsplit(".", 1)[0] + ".worker_store"])
_STARTING = threading.Lock()  # Process.start() is not thread-safe (it tidies a shared set)
# The store the forkserver opens for its workers to share (kg.query.worker_store): named here,
# never imported in the API process, which would open a copy of its own.
WORKER_STORE_ENV = "OTKG_WORKER_STORE"


def shareable(spec: tuple) -> bool:
    """Whether a store from this spec may be opened before a fork: a release copied into memory (one
    read from disk would leave RocksDB handles behind the fork)."""
    return len(spec) == 3 and spec[0] == "release" and spec[2] is True


READY = "ready"
# Workers run what is slow or not yet measured; at a lower CPU priority than the API processes, a
# client's heavy reads yield the cores to everyone's quick answers instead of sharing them evenly.
WORKER_NICENESS = 5


class DeadlineExceeded(Exception):
    """The job ran past its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free before the job's deadline."""


class WorkerLost(Exception):
    """The worker died while running the job (the query crashed it)."""


class Preempted(Exception):
    """The job ran long while a client with more of its budget left waited for a worker: its worker
    was stopped to make room."""


def answer(store, job: Job | Read, whole_size: int | None = None) -> Answer:
    """A job's answer on a store, in a worker or in process; any failure raises JobFailed.
    `whole_size`: see kg.query.query_jobs.execute."""
    try:
        return perform(store, job) if isinstance(job, Read) else execute(store, job, whole_size)
    except (JobFailed, NotAsMeasured):
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is the job's answer, not the worker's end
        raise JobFailed("error", f"{type(exc).__name__}: {exc}") from None


def _serve(conn, spec, memory_limit: int, answer_limit: int) -> None:
    """Worker process: open the store, then answer jobs, each with its time, until the pipe closes.
    A job is stopped past `memory_limit` bytes, and an answer over `answer_limit` bytes refused
    (kg.query.worker_limits); 0: no limit."""
    from .worker_store import open_worker_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the API, which stops us
    os.nice(WORKER_NICENESS)
    store = open_worker_store(spec)
    watch = MemoryWatch(memory_limit, lambda reply: _send_frame(conn, reply)) if memory_limit else None
    _send_frame(conn, (READY, time.process_time()))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        started = time.thread_time()  # CPU time, as the API process measures too (QuickJobs)
        with watch.job() if watch else contextlib.nullcontext():
            try:
                reply: Answer | JobFailed = answer(store, job)
            except JobFailed as exc:
                reply = exc
        # the process's CPU time too: if a later job is killed, what it used is read against this
        frame = (reply, time.thread_time() - started, time.process_time())
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        if answer_limit and len(data) > answer_limit:  # any answer: bytes, or a page's rows
            data = pickle.dumps((too_large(len(data), answer_limit), *frame[1:]))
        _send_frame(conn, data)


@dataclass
class Meter:
    """One client's account for a read (api.client_limits): its budget left when the read began,
    which ranks it for a worker (kg.query.preemption), and the work done, which it is charged for:
    CPU seconds in a worker or in this process, and the workers its queries crashed. Time spent
    waiting for a lane or a worker is not work."""

    seconds: float = 0.0
    crashes: int = 0
    standing: float = float("inf")
    unspent: bool = True  # the client owes nothing: it may use the worker kept for such clients


def _start(proc: multiprocessing.process.BaseProcess, spec: tuple) -> None:
    with _STARTING:
        if shareable(spec):  # read by the forkserver when it starts (the first pool's store only)
            os.environ.setdefault(WORKER_STORE_ENV, json.dumps(spec))
        proc.start()


def _cpu_seconds(pid: int) -> float | None:
    """A process's CPU time so far (user + system, from /proc), or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@dataclass(eq=False)  # identity, so that workers can live in a set
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    cpu: float = 0.0  # the process's CPU time when it last answered
    running: Running | None = None  # the job it runs now, if any

    def cpu_since_answer(self) -> float:
        """CPU time spent since the last answer: the job it is running, stopped at its deadline."""
        now = _cpu_seconds(self.process.pid) if self.process.pid is not None else None
        return 0.0 if now is None else max(0.0, now - self.cpu)

    def stop(self) -> None:
        try:
            if self.process.pid is not None:  # None: never started
                os.kill(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.stop()
        self.conn.close()
        self.process.join(timeout=5)


# A reply is one frame: its length (8 bytes, big-endian), then the pickled (answer, seconds, process
# CPU seconds) or (READY, process CPU seconds).
# The API process reads a frame as its pieces arrive, never waiting in a read: a large answer (a
# 100 kB trace) is written by a worker at low priority, and a blocking read would hold the event
# loop, and every client of it, until the worker got a core back.
HEADER = struct.Struct("!Q")


def _send_frame(conn: Connection, message) -> None:
    """Worker side: one message (or its pickle) to the API process (a blocking write: only the
    worker waits)."""
    data = message if isinstance(message, bytes) else pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(conn.fileno(), view) :]


async def _receive(conn, timeout: float):
    """The next frame on a worker's pipe, read as it arrives, without blocking the event loop."""
    if timeout <= 0:  # the deadline has passed already: a reply already in the pipe must not win
        raise TimeoutError()
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fd = conn.fileno()
    os.set_blocking(fd, False)
    buf = bytearray()

    def ready():
        if fut.done():
            return
        try:
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise EOFError("the worker closed its pipe")
                buf.extend(chunk)
                if len(buf) >= HEADER.size and len(buf) >= HEADER.size + HEADER.unpack_from(buf)[0]:
                    break
        except BlockingIOError:
            return  # the rest is still to come
        except Exception as exc:  # noqa: BLE001 - EOFError or OSError when the worker died
            fut.set_exception(exc)
            return
        fut.set_result(pickle.loads(memoryview(buf)[HEADER.size :]))

    def expire():
        if not fut.done():
            fut.set_exception(TimeoutError())

    timer = loop.call_later(timeout, expire)  # lighter than wait_for, which runs once per query
    loop.add_reader(fd, ready)
    try:
        return await fut
    finally:
        timer.cancel()
        loop.remove_reader(fd)


async def _acquire(free: asyncio.Semaphore, timeout: float) -> None:
    """Take a semaphore, waiting at most `timeout`; a free one is taken at once, with no timer or task."""
    if free.locked():
        await asyncio.wait_for(free.acquire(), timeout)  # nothing awaits after the grant
    else:
        await free.acquire()


class _Lanes:
    """At most `n` jobs running at once, except that a job holds its lane only for `hold_s`.

    More runnable processes than cores only adds switching (3 workers per API process measured 20%
    fewer answers per second than 1 at 16 clients), yet a slow query must not hold up quick ones.
    So quick jobs queue for a lane, and a job still running after `hold_s` gives its lane up.
    """

    def __init__(self, n: int, hold_s: float):
        self._free, self.hold_s = asyncio.Semaphore(n), hold_s

    async def take(self, timeout: float):
        """Wait for a lane; returns the function that gives it back (once, however often called).
        Raises TimeoutError if none is free in time."""
        await _acquire(self._free, timeout)
        loop, given = asyncio.get_running_loop(), list[bool]()

        def give_back():
            if not given:
                given.append(True)
                timer.cancel()
                self._free.release()

        timer = loop.call_later(self.hold_s, give_back)
        return give_back


def _deterministic(job: Job | Read) -> bool:
    """Whether the job does the same work on the same data every time (its text calls no volatile
    function); descriptions and traces run fixed texts of ours."""
    if isinstance(job, Job):
        return not calls_volatile(job.text)
    return job.name != "table" or not calls_volatile(job.args[0])


class QueryPool:
    """`size` worker processes over the store that `spec` names (kg.store.seam.open_spec), of which at
    most `lanes` run quick jobs at once (0: no limit); jobs measured at most `inline_s` seconds in a
    worker run in this process (0: never; nor for a remote store, whose queries wait on a server).
    A job may grow a worker's memory by `memory_limit` bytes and answer `answer_limit` bytes (0: no
    limit; kg.query.worker_limits).

    `kept` workers (default: one when there are two or more) never run jobs of clients that have
    spent some of their budget (Meter.unspent): however many such clients send slow or worker-killing
    queries, they hold at most `size - kept` workers, so a client owing nothing still finds one
    (issue 22, item 4). Preemption alone could not promise that: it waits for a job to run a second,
    and for a stopped worker to be replaced."""

    def __init__(
        self,
        spec,
        size: int = 2,
        start_timeout: float = 300.0,
        lanes: int = 0,
        lane_hold_s: float = 0.05,
        inline_s: float = 0.0,
        memory_limit: int = 0,
        answer_limit: int = 0,
        kept: int | None = None,
    ):
        self.spec, self.size, self.start_timeout = spec, size, start_timeout
        kept = (1 if size >= 2 else 0) if kept is None else min(kept, size - 1)
        # taken by a spent client's job before a worker, so at most `size - kept` run such jobs
        self._spent = asyncio.Semaphore(size - kept) if kept > 0 else None
        self.limits = (memory_limit, answer_limit)
        self._lanes = _Lanes(lanes, lane_hold_s) if lanes > 0 else None
        self._idle: WaitingLine | None = None
        self._all: set = set()
        self._respawns: set[asyncio.Task] = set()
        self._quick = QuickJobs(inline_s) if inline_s > 0 and spec[0] != "remote" else None
        self._local: GraphStore | None = None  # this process's own store, once opened (start)
        self._opening: asyncio.Task | None = None

    def _queue(self) -> WaitingLine:
        if self._idle is None:
            raise RuntimeError("the query pool is not started")
        return self._idle

    async def start(self, wait_for: int | None = None) -> None:
        """Start the workers; return once `wait_for` of them (default: all) are ready. The others are
        started only then, in the background, and join as they come up: on two cores, copies of the
        store made at once would all finish late, so a server answers sooner this way."""
        self._idle = WaitingLine()
        if self._quick is not None:  # opened while the workers start; jobs go to workers till then
            self._opening = asyncio.get_running_loop().create_task(self._open_local())
        first = self.size if wait_for is None else min(wait_for, self.size)
        for worker in await asyncio.gather(*(self._spawn() for _ in range(first))):
            self._idle.put_nowait(worker)
        for _ in range(self.size - first):
            self._start_in_background()

    def _reopen_local(self) -> None:
        """Open this process's store anew in a thread (once per switch); jobs go to the workers till then."""
        if self._opening is None or self._opening.done():
            self._opening = asyncio.get_running_loop().create_task(self._open_local())

    async def _open_local(self) -> None:
        from ..store.seam import open_spec

        try:
            self._local = await asyncio.to_thread(open_spec, self.spec)
        except Exception:  # logged; the workers answer everything without it
            self._local = None
            log.exception("could not open the store in the API process; every job runs in a worker")

    def _key(self, job: Job | Read) -> Hashable | None:
        """What identifies a job's cost: the job and the generation of the data it reads; None when
        it cannot run here (nor be measured for here)."""
        if self._local is None or self._quick is None:
            return None
        if self._local.stale():  # a commit: reopening (loading a copy) would hold the event loop
            self._reopen_local()
            return None
        try:
            hash(job)
        except TypeError:  # a job holding a list: never measured, never run here
            return None
        return job, self._local.generation

    def _run_here(self, job: Job | Read, key: Hashable, meter: Meter) -> Answer | None:
        """The job's answer run in this process, or None if it did not answer as measured (it then
        goes back to the workers)."""
        assert self._quick is not None and self._local is not None
        started, size = time.thread_time(), self._quick.whole_size(key)
        try:
            found = answer(self._local, job, size)
        except NotAsMeasured:
            self._quick.forget(key)
            return None
        finally:
            used = time.thread_time() - started  # one reading for the client's charge and the job's cost
            meter.seconds += used
        self._quick.measured(key, used, size)
        return found

    def _learn(self, key: Hashable | None, job: Job | Read, reply: object, seconds: float) -> None:
        """Remember a worker's run of a job as quick or not. A job calling NOW(), RAND() and the like
        may cost nothing now and minutes later, so it is never run here however quick it was."""
        if key is None or self._quick is None:
            return
        if seconds <= self._quick.max_s and not _deterministic(job):
            return
        size = len(reply.body) if isinstance(reply, Answer) and not reply.more else None  # whole: its size
        self._quick.measured(key, seconds, size)

    def _start_in_background(self) -> None:
        """A new worker that joins the idle ones when ready (the pool runs one short till then)."""
        task = asyncio.get_running_loop().create_task(self._spawn())
        self._respawns.add(task)
        task.add_done_callback(self._joined)

    def _joined(self, task: asyncio.Task) -> None:
        self._respawns.discard(task)
        if task.cancelled():
            return
        if task.exception() is not None:
            log.error("could not start a query worker", exc_info=task.exception())  # runs one short
        else:
            self._queue().put_nowait(task.result())

    async def _spawn(self) -> _Worker:
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(
            target=_serve, args=(child, self.spec, *self.limits), daemon=True, name="otkg-query-worker"
        )
        # in a thread: the first start waits for the forkserver's imports, which must not hold the loop
        await asyncio.to_thread(_start, proc, self.spec)
        child.close()
        worker = _Worker(proc, parent)
        self._all.add(worker)
        try:
            ready, worker.cpu = await _receive(parent, self.start_timeout)
            if ready != READY:
                raise RuntimeError("query worker answered something other than ready")
        except BaseException:
            self._discard(worker)
            raise
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        self._start_in_background()

    async def run(self, job: Job | Read, deadline: float, meter: Meter | None = None) -> Answer:
        """The job's answer (a Read's plain data); raises JobFailed, DeadlineExceeded, PoolBusy or
        WorkerLost. The work it took, and a crash it caused, are added to `meter`."""
        meter = meter if meter is not None else Meter()
        key = self._key(job)
        if key is not None and self._quick is not None and self._quick.is_quick(key):
            found = self._run_here(job, key, meter)
            if found is not None:
                return found
        loop = asyncio.get_running_loop()
        ends = loop.time() + deadline
        spent = self._spent if not meter.unspent else None
        if spent is not None:
            try:
                await _acquire(spent, deadline)
            except TimeoutError:
                raise PoolBusy() from None
        try:
            return await self._in_worker(job, key, meter, ends)
        finally:
            if spent is not None:
                spent.release()

    async def _in_worker(self, job: Job | Read, key: Hashable | None, meter: Meter, ends: float) -> Answer:
        loop = asyncio.get_running_loop()
        give_back = None
        try:
            if self._lanes is not None:
                give_back = await self._lanes.take(max(0.0, ends - loop.time()))
            worker = await self._take_worker(ends, meter.standing)
        except TimeoutError:
            if give_back is not None:
                give_back()
            raise PoolBusy() from None
        worker.running = running = Running(meter.standing, loop.time())
        try:
            worker.conn.send(job)
            reply, seconds, worker.cpu = await _receive(worker.conn, max(0.0, ends - loop.time()))
        except TimeoutError:
            meter.seconds += worker.cpu_since_answer()  # read before the kill
            self._replace(worker)
            raise DeadlineExceeded() from None
        except (EOFError, OSError):
            self._replace(worker)
            if running.stopped_after is not None:  # stopped to make room: not a crash
                meter.seconds += running.stopped_after
                raise Preempted() from None
            meter.crashes += 1
            raise WorkerLost() from None
        except BaseException:  # cancelled while the worker runs: its next reply would be stale
            self._replace(worker)
            raise
        finally:
            worker.running = None
            if give_back is not None:
                give_back()
        meter.seconds += seconds
        if isinstance(reply, JobFailed) and reply.kind == "memory":
            meter.crashes += 1  # a worker lost to the client's query, as a crash is
            self._replace(worker)  # it ends itself after this reply
            raise reply
        if running.stopped_after is not None:  # answered just as it was stopped: the answer stands
            self._replace(worker)
        else:
            self._queue().put_nowait(worker)
        if isinstance(reply, JobFailed):
            raise reply
        self._learn(key, job, reply, seconds)
        return reply

    async def _take_worker(self, ends: float, standing: float) -> _Worker:
        """An idle worker; if none comes within PREEMPT_CHECK_S, one running a long job for a client
        no better placed than `standing` is stopped to make room (kg.query.preemption). Raises
        TimeoutError at `ends`."""
        queue, loop = self._queue(), asyncio.get_running_loop()
        if not queue.empty():
            return queue.get_nowait()
        while True:
            left = ends - loop.time()
            if left <= 0:
                raise TimeoutError()
            try:
                return await asyncio.wait_for(queue.get(standing), min(left, PREEMPT_CHECK_S))
            except TimeoutError:
                if self._respawns:  # a worker is on its way: room is being made already
                    continue
                busy = [(w, w.running) for w in self._all if w.running is not None]
                victim = choose_victim(busy, standing, loop.time())
                if victim is not None:
                    assert victim.running is not None
                    victim.running.stopped_after = victim.cpu_since_answer()
                    # only the process: its own run() then reads the pipe's end, says Preempted
                    # and replaces it (closing the pipe here would leave that read waiting)
                    victim.stop()

    async def close(self) -> None:
        if self._opening is not None:
            self._opening.cancel()
        self._local = None
        for task in list(self._respawns):
            task.cancel()
        for worker in list(self._all):
            try:
                worker.conn.close()  # the worker sees EOF and returns
            except OSError:
                pass
        await asyncio.sleep(0)
        for worker in list(self._all):
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.kill()
        self._all.clear()
