"""The query worker pool: deadlines stop runaway queries, crashed workers are replaced, others keep going."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import pytest
from otkg.kg.query.query_jobs import Job, JobFailed
from otkg.kg.query.query_pool import DeadlineExceeded, Meter, PoolBusy, Preempted, QueryPool, WorkerLost
from otkg.kg.query.reads import Read

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "SELECT ?l WHERE { <https://w3id.org/otkg/id/cluster-14> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


def job(text: str, limit: int = 100) -> Job:
    return Job(text, "csv", "application/n-triples", "application/sparql-results+json", limit=limit)


@pytest.fixture(scope="module")
def spec(embedded_store):
    return embedded_store.spec()


def run(spec, scenario, size=2, wait_for=None, **options):
    async def main():
        pool = QueryPool(spec, size, **options)
        await pool.start(wait_for)
        try:
            return await scenario(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


def test_answers_are_serialised_in_the_worker(spec):
    async def scenario(pool):
        return await pool.run(job(LIGHT), 5)

    answer = run(spec, scenario)
    assert (answer.kind, answer.more) == ("select", False)
    assert answer.body == b"l\r\nPsychotic Crisis\r\n"


def test_a_pool_answers_once_its_first_worker_is_up_and_the_others_join(spec):
    async def scenario(pool):
        at_start = (pool._idle.qsize(), len(pool._respawns))
        answer = await pool.run(job(LIGHT), 30)
        for _ in range(100):  # the other two join in the background
            if pool._idle.qsize() == 3:
                break
            await asyncio.sleep(0.1)
        return at_start, answer.body, pool._idle.qsize(), len(pool._all)

    at_start, body, idle, workers = run(spec, scenario, size=3, wait_for=1)
    assert at_start == (1, 2)
    assert body == b"l\r\nPsychotic Crisis\r\n"
    assert (idle, workers) == (3, 3)


def test_deadline_stops_the_query_and_the_pool_recovers(spec):
    async def scenario(pool):
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            await pool.run(job(CARTESIAN), 1.0)
        stopped = time.monotonic() - started
        # the other worker answered meanwhile, and the replacement joins the pool
        after = [await pool.run(job(LIGHT), 5) for _ in range(4)]
        await asyncio.sleep(3)
        return stopped, after, len(pool._all)

    stopped, after, workers = run(spec, scenario)
    assert 1.0 <= stopped < 2.0
    assert all(a.kind == "select" for a in after)
    assert workers == 2


def test_light_queries_are_served_while_a_heavy_one_runs(spec):
    async def scenario(pool):
        heavy = asyncio.ensure_future(pool.run(job(CARTESIAN), 3.0))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        for _ in range(20):
            await pool.run(job(LIGHT), 5)
        light_s = time.monotonic() - started
        with pytest.raises(DeadlineExceeded):
            await heavy
        return light_s

    assert run(spec, scenario) < 2.0


def test_a_killed_worker_is_reported_and_replaced(spec):
    async def scenario(pool):
        pids = [w.process.pid for w in pool._all]
        task = asyncio.ensure_future(pool.run(job(CARTESIAN), 10))
        await asyncio.sleep(0.5)
        for pid in pids:  # one of them runs the job; the idle one is killed too and noticed later
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(WorkerLost):
            await task
        for _ in range(30):
            if len(pool._all) == 2 and pool._idle.qsize() >= 1:
                break
            await asyncio.sleep(0.2)
        replies = []
        for _ in range(3):
            try:
                replies.append((await pool.run(job(LIGHT), 5)).kind)
            except WorkerLost:
                replies.append("lost")
        return replies

    replies = run(spec, scenario)
    assert replies[-1] == "select" and replies.count("lost") <= 1


def test_syntax_errors_and_row_cap(spec):
    async def scenario(pool):
        with pytest.raises(JobFailed) as err:
            await pool.run(job("SELECT WHERE {"), 5)
        capped = await pool.run(job("SELECT ?s WHERE { ?s ?p ?o }", limit=7), 5)
        return err.value, capped

    err, capped = run(spec, scenario)
    assert err.kind == "syntax"
    assert capped.more is True and capped.body.count(b"\r\n") == 8  # header + 7 rows


def test_one_lane_runs_quick_jobs_one_at_a_time_but_a_slow_one_gives_it_up(spec):
    async def scenario(pool):
        busy, overlaps = [0], []
        idle = pool._idle
        get, get_nowait, put_nowait = idle.get, idle.get_nowait, idle.put_nowait

        def taken(worker):  # a job holds a worker from here until it is put back
            busy[0] += 1
            overlaps.append(busy[0])
            return worker

        async def counted_get(*args):
            return taken(await get(*args))

        def counted_put(worker):
            busy[0] -= 1
            put_nowait(worker)

        idle.get, idle.get_nowait, idle.put_nowait = counted_get, lambda: taken(get_nowait()), counted_put
        await asyncio.gather(*(pool.run(job(LIGHT), 5) for _ in range(12)))
        quick_overlap = max(overlaps)
        heavy = asyncio.ensure_future(pool.run(job(CARTESIAN), 2.0))
        await asyncio.sleep(0.3)  # past the lane hold: the heavy job has given its lane back
        started = time.monotonic()
        await pool.run(job(LIGHT), 5)
        light_s = time.monotonic() - started
        with pytest.raises(DeadlineExceeded):
            await heavy
        return quick_overlap, light_s

    quick_overlap, light_s = run(spec, scenario, size=3, lanes=1, lane_hold_s=0.1)
    assert quick_overlap == 1  # twelve at once from the event loop, yet one ran at a time
    assert light_s < 1.0  # not held until the heavy job's 2 s deadline


def _kill_workers(pool) -> None:
    """Kill every worker, leaving them idle in the pool: a job sent to one now fails (WorkerLost)."""
    for worker in list(pool._all):
        worker.kill()


def test_a_job_measured_quick_in_a_worker_runs_in_the_api_process_after(spec):
    async def scenario(pool):
        await pool._opening  # the process's own store
        first = await pool.run(job(LIGHT), 5)  # measured in a worker
        _kill_workers(pool)
        again = await pool.run(job(LIGHT), 5)  # no worker could answer this: the process did
        with pytest.raises(WorkerLost):  # another text (even by a comment) is measured in a worker first
            await pool.run(job(LIGHT + " # another text"), 5)
        return first.body, again.body

    first, again = run(spec, scenario, size=1, inline_s=0.5)
    assert first == again == b"l\r\nPsychotic Crisis\r\n"


def test_a_quick_whole_json_answer_is_written_by_pyoxigraph_in_process_and_a_cut_one_stays_cut(
    spec, monkeypatch
):
    from otkg.kg.query import query_jobs

    clusters = "SELECT ?c WHERE { ?c <https://w3id.org/otkg/ontology#clusterCode> ?n } ORDER BY ?n"
    whole, cut = Job(clusters, "json", None, None, limit=100), Job(clusters, "json", None, None, limit=2)
    written_by_pyoxigraph = []
    serialize = query_jobs.ox.QuerySolutions.serialize

    def spy(result, *args, **kwargs):  # the API process's pyoxigraph; the workers' are other processes
        written_by_pyoxigraph.append(True)
        return serialize(result, *args, **kwargs)

    monkeypatch.setattr(query_jobs.ox.QuerySolutions, "serialize", spy)

    async def scenario(pool):
        await pool._opening
        in_worker = [await pool.run(whole, 5), await pool.run(cut, 5)]
        _kill_workers(pool)
        in_process = [await pool.run(whole, 5), await pool.run(cut, 5)]
        return in_worker, in_process

    in_worker, in_process = run(spec, scenario, size=1, inline_s=0.5)
    assert in_worker == in_process  # the same bytes, whichever process and writer
    assert written_by_pyoxigraph == [True]  # the whole answer only: the cut one is counted row by row
    assert [(a.more, len(json.loads(a.body)["results"]["bindings"])) for a in in_process] == [
        (False, 21),
        (True, 2),
    ]
    assert json.loads(in_process[1].body)["results"]["bindings"][0] == {
        "c": {"type": "uri", "value": "https://w3id.org/otkg/id/cluster-0"}
    }


def test_the_json_writer_gives_pyoxigraphs_bytes_for_every_quad_of_the_real_graph(embedded_store):
    import pyoxigraph as ox
    from otkg.kg.query.serialize import json_solutions

    everything = "SELECT ?s ?p ?o ?g ?unbound WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = embedded_store.query(everything)
    ours = json_solutions([v.value for v in result.variables], list(result))
    assert ours == embedded_store.query(everything).serialize(format=ox.QueryResultsFormat.JSON)
    assert len(json.loads(ours)["results"]["bindings"]) > 90000


def test_a_quick_job_kept_waiting_but_not_working_stays_in_process(spec):
    class Waiting:  # the process's store, as on a busy machine: each query waits 50 ms, using no CPU
        def __init__(self, store):
            self.store, self.generation = store, store.generation

        def query(self, *args, **kwargs):
            time.sleep(0.05)
            return self.store.query(*args, **kwargs)

        def stale(self):
            return False

    async def scenario(pool):
        await pool._opening
        await pool.run(job(LIGHT), 5)  # measured in a worker
        pool._local = Waiting(pool._local)
        await pool.run(job(LIGHT), 5)  # 50 ms by the clock, far under a millisecond of CPU
        _kill_workers(pool)
        return await pool.run(job(LIGHT), 5)  # still run here: no worker could have answered

    assert run(spec, scenario, size=1, inline_s=0.01).body == b"l\r\nPsychotic Crisis\r\n"


def test_a_reply_written_slowly_is_read_as_it_comes_while_the_event_loop_goes_on():
    import pickle
    import threading
    from multiprocessing import Pipe

    from otkg.kg.query.query_pool import HEADER, _receive

    reply = ("x" * 3_000_000, 0.25)  # larger than a pipe's buffer
    data = pickle.dumps(reply)
    frame = HEADER.pack(len(data)) + data
    ours, theirs = Pipe()

    def worker():  # half the frame, a pause (a worker without a core), then the rest
        half = len(frame) // 2
        for part, pause in ((memoryview(frame)[:half], 0.5), (memoryview(frame)[half:], 0)):
            while part:
                part = part[os.write(theirs.fileno(), part) :]
            time.sleep(pause)

    async def main():
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.ensure_future(tick())
        writer = threading.Thread(target=worker)
        writer.start()
        got = await _receive(ours, 10)
        ticker.cancel()
        writer.join()
        return got, ticks

    got, ticks = asyncio.run(main())
    assert got == reply
    assert ticks >= 20  # the loop ran through the 0.5 s pause instead of waiting in a read


def test_a_job_slower_than_inline_s_stays_in_the_workers(spec):
    async def scenario(pool):
        await pool._opening
        await pool.run(job(LIGHT), 5)  # takes longer than a nanosecond
        _kill_workers(pool)
        with pytest.raises(WorkerLost):
            await pool.run(job(LIGHT), 5)

    run(spec, scenario, size=1, inline_s=1e-9)


def test_quick_jobs_keep_the_most_recent_and_forget_a_slow_run():
    from otkg.kg.query.quick_jobs import QuickJobs

    quick = QuickJobs(max_s=0.01, size=2)
    quick.measured("a", 0.001)
    quick.measured("b", 0.001)
    assert quick.is_quick("a")  # now the most recently used
    quick.measured("c", 0.001)  # over the size: "b", the least recent, goes
    assert [quick.is_quick(k) for k in "abc"] == [True, False, True]
    quick.measured("a", 0.5)  # once slow (a loaded machine), back to the workers
    quick.measured("d", 0.02)  # slower than max_s: never kept
    assert [quick.is_quick(k) for k in "acd"] == [False, True, False]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT ?x WHERE { BIND(RAND() AS ?x) }",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "SELECT ?l WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BYNOW() LIMIT 1",
    ],
    ids=["now", "rand", "struuid", "glued"],
)
@pytest.mark.parametrize("kind", ["query", "table"])
def test_a_quick_job_calling_a_volatile_function_is_always_run_in_a_worker(spec, text, kind):
    """Its cost may change with the clock or chance (FILTER(NOW() > t) before a join): however quick
    it was, it never runs where no deadline can stop it, as a query or as a page's table."""
    quick = job(text) if kind == "query" else Read("table", (text, 10, 0, 10))

    async def scenario(pool):
        await pool._opening
        for _ in range(3):
            await pool.run(quick, 5)
        _kill_workers(pool)
        with pytest.raises(WorkerLost):  # still sent to a worker
            await pool.run(quick, 5)

    run(spec, scenario, size=1, inline_s=0.5)


def test_an_answer_in_process_unlike_the_measured_one_goes_back_to_the_workers(spec, embedded_store):
    """The row cap holds on every path: pyoxigraph writes a whole answer unchecked for rows only
    while it is as long as the answer measured in the worker; another is not the measured job."""
    import pyoxigraph as ox

    labels = "SELECT ?l WHERE { ?c <https://w3id.org/otkg/ontology#clusterCode> ?n ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    bigger = ox.Store()  # the same generation, yet 30 more clusters than the measured answer held
    bigger.extend(embedded_store.store)
    for i in range(30):
        c = ox.NamedNode(f"https://w3id.org/otkg/id/extra-{i}")
        bigger.add(ox.Quad(c, ox.NamedNode("https://w3id.org/otkg/ontology#clusterCode"), ox.Literal(str(i))))
        bigger.add(
            ox.Quad(c, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(f"x{i}"))
        )

    asked = []

    class Changed:
        def __init__(self, store):
            self.generation = store.generation

        def query(self, *args, **kwargs):
            asked.append(True)
            return bigger.query(*args, **kwargs)

        def stale(self):
            return False

    async def scenario(pool):
        await pool._opening
        measured = await pool.run(Job(labels, "json", None, None, limit=25), 5)  # 21 rows: whole
        pool._local = Changed(pool._local)
        again = await pool.run(Job(labels, "json", None, None, limit=25), 5)  # 51 rows here: not as measured
        return measured, again

    measured, again = run(spec, scenario, size=1, inline_s=0.5)
    assert len(json.loads(measured.body)["results"]["bindings"]) == 21
    assert asked == [True]  # run here once, its 51 rows refused unsent
    assert again == measured  # then answered by the worker, from the data it measured


def doubling(levels: int, select: str = "(STRLEN(?x{n}) AS ?length)") -> str:
    """A short query whose value doubles `levels` times from 1 KiB: 2^levels KiB in its last cell."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(levels))
    return f'SELECT {select.format(n=levels)} WHERE {{ BIND("{"x" * 1024}" AS ?x0) {binds} }}'


def _resident(pid: int) -> int:
    with open(f"/proc/{pid}/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_query_past_its_memory_limit_is_stopped_and_its_worker_replaced(spec):
    limit = 64 * 2**20

    async def scenario(pool):
        (worker,) = pool._all
        base, peak = _resident(worker.process.pid), 0

        async def watch():  # the worker's memory, seen from outside while the query runs
            nonlocal peak
            while True:
                try:
                    peak = max(peak, _resident(worker.process.pid))
                except (OSError, IndexError):
                    return
                await asyncio.sleep(0.002)

        watcher = asyncio.ensure_future(watch())
        meter = Meter()
        with pytest.raises(JobFailed) as stopped:
            await pool.run(job(doubling(19)), 60, meter)  # 512 MiB in its last value, about 1 GiB in all
        assert meter.crashes == 1  # a worker lost to its query costs its client as a crash does
        watcher.cancel()
        after = await pool.run(job(LIGHT), 30)  # a new worker answers
        return stopped.value, base, peak, after

    stopped, base, peak, after = run(spec, scenario, size=1, memory_limit=limit)
    assert stopped.kind == "memory" and "64 MiB" in stopped.message
    assert peak - base < 5 * limit  # the watch, or at the latest the address-space backstop
    assert after.body == b"l\r\nPsychotic Crisis\r\n"


def test_an_answer_over_the_byte_limit_is_refused_whole(spec):
    async def scenario(pool):
        with pytest.raises(JobFailed) as refused:
            await pool.run(job(doubling(11, "?x{n}")), 30)  # one 2 MiB cell
        small = await pool.run(job(doubling(5, "?x{n}")), 30)  # 32 KiB: under the limit
        return refused.value, small

    refused, small = run(spec, scenario, size=1, answer_limit=2**20)
    assert refused.kind == "too large" and "1 MiB limit" in refused.message
    assert len(small.body) > 32 * 1024


def test_a_long_job_gives_its_worker_up_to_a_client_with_more_budget_left(spec):
    async def scenario(pool):
        heavy_meter = Meter(standing=5.0)
        heavy = asyncio.ensure_future(pool.run(job(CARTESIAN), 30, heavy_meter))
        await asyncio.sleep(0.2)  # the heavy job holds the one worker
        light = await pool.run(job(LIGHT), 30, Meter(standing=20.0))
        with pytest.raises(Preempted):
            await heavy
        return light, heavy_meter

    light, heavy_meter = run(spec, scenario, size=1)
    assert light.body == b"l\r\nPsychotic Crisis\r\n"
    assert heavy_meter.crashes == 0 and heavy_meter.seconds > 0  # charged its CPU time, not a crash


def test_a_client_with_less_budget_left_waits_its_turn(spec):
    async def scenario(pool):
        heavy = asyncio.ensure_future(pool.run(job(CARTESIAN), 4, Meter(standing=20.0)))
        await asyncio.sleep(0.2)
        with pytest.raises(PoolBusy):  # never stops the better-placed client's job
            await pool.run(job(LIGHT), 2, Meter(standing=5.0))
        with pytest.raises(DeadlineExceeded):
            await heavy

    run(spec, scenario, size=1)


def test_a_worker_put_back_goes_to_the_best_placed_waiting_client():
    from otkg.kg.query.preemption import WaitingLine

    async def scenario():
        line = WaitingLine()
        waiting = [asyncio.ensure_future(line.get(s)) for s in (1.0, 9.0, 5.0, 9.0)]
        await asyncio.sleep(0)
        for worker in "abcd":
            line.put_nowait(worker)
        return await asyncio.gather(*waiting)

    assert asyncio.run(scenario()) == ["d", "a", "c", "b"]  # 9.0 first (the earlier of two), then 5.0, 1.0


def test_the_victim_is_the_longest_running_job_of_a_client_no_better_placed():
    from otkg.kg.query.preemption import Running, choose_victim

    busy = [
        ("young", Running(1.0, started=9.5)),  # under a second old: left to finish
        ("better", Running(30.0, started=0.0)),  # its client has more budget left than the one waiting
        ("old", Running(2.0, started=3.0)),
        ("older", Running(20.0, started=1.0)),
    ]
    assert choose_victim(busy, standing=20.0, now=10.0) == "older"
    assert choose_victim(busy, standing=5.0, now=10.0) == "old"
    assert choose_victim(busy, standing=0.5, now=10.0) is None


def test_a_worker_stopped_just_after_it_answered_is_replaced_not_reused(spec):
    """The answer arrived as the worker was stopped to make room: the answer stands, and the next
    job gets a live worker (a dead one put back would fail an innocent client's job as a crash)."""

    async def scenario(pool):
        (worker,) = pool._all
        send = worker.conn.send

        def send_then_stop(job):  # the worker answers, but is marked stopped while it does
            send(job)
            worker.running.stopped_after = 0.0

        worker.conn.send = send_then_stop
        first = await pool.run(job(LIGHT), 30)
        worker.stop()  # what preemption does to it
        again = await pool.run(job(LIGHT), 30)  # from the replacement
        return first, again, worker in pool._all

    first, again, still_there = run(spec, scenario, size=1)
    assert first.body == again.body == b"l\r\nPsychotic Crisis\r\n"
    assert not still_there


def test_after_a_commit_the_api_process_reopens_its_copy_in_a_thread_and_workers_answer_meanwhile(
    build_dir, tmp_path
):
    """Reloading a copy in memory takes a good part of a second: on the event loop it would stall
    every reader of the process (issue 22, item 7)."""
    import pyoxigraph as ox
    from otkg.kg.store.seam import open_release

    store = open_release(tmp_path / "store", build_dir / "otkg.nq", "test")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    added = ox.Triple(ox.NamedNode("https://w3id.org/otkg/id/cluster-14"), label, ox.Literal("Added"))

    async def scenario(pool):
        await pool._opening
        await pool.run(job(LIGHT), 30)  # measured quick: in process from now on
        before = pool._local

        def on_the_loop():
            raise AssertionError("the copy was reloaded on the event loop")

        before.refresh = on_the_loop
        store.commit("https://w3id.org/otkg/graph/local/added", [added])
        not_here = pool._key(job(LIGHT)) is None  # the copy is stale: reopened in a thread, not here
        unchanged = pool._local is before and not_here
        meanwhile = await pool.run(job(LIGHT), 30)  # the new data, from a worker or the new copy
        await pool._opening
        return meanwhile, unchanged, pool._local is not before and not pool._local.stale()

    meanwhile, unchanged, reopened = run(store.spec(2**30), scenario, size=1, inline_s=0.5)
    assert sorted(meanwhile.body.decode().split("\r\n")[1:-1]) == ["Added", "Psychotic Crisis"]
    assert unchanged and reopened
