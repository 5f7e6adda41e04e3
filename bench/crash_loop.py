"""Issue 22, item 4: an innocent client while four others loop on queries that cost a worker.
`otkg serve` as served by default on the real graph. Four attackers (127.0.0.21-24) POST a query
whose value doubles 20 times from 1 KiB (a 1 GiB cell: past the per-query memory limit, so the
worker running it is stopped and replaced), pausing 0.2 s after a 429 as tests/api/test_fairness.py
does; the innocent client (127.0.0.30) sends a new light query, then waits 0.2 s, and so on. The
innocent client is also measured alone first, for reference. An open-loop variant starts its
queries every 0.2 s without waiting for the answers. Bounded: `seconds` per phase.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from .launch import otkg_serve
from .servers import tree
from .write_stall import pct

ATTACKERS = ("127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24")
INNOCENT = "127.0.0.30"
LIGHT = "SELECT ?l WHERE {{ <https://w3id.org/otkg/id/cluster-14> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} # {i}"
# The parser overflow: now refused with 400 before a worker; sent once to show it.
NESTED = "ASK { FILTER(" + "!" * 20_000 + "true) }"


def doubling(levels: int = 20) -> str:
    """A short query whose one value doubles `levels` times from 1 KiB."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(levels))
    return f'SELECT (STRLEN(?x{levels}) AS ?n) WHERE {{ BIND("{"x" * 1024}" AS ?x0) {binds} }}'


def _client(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def _innocent(base: str, seconds: float, first: int) -> list[tuple[float, int | str]]:
    """(seconds, status) of each light query, one after another with a 0.2 s pause."""
    out: list[tuple[float, int | str]] = []
    ends, i = time.monotonic() + seconds, first
    with _client(INNOCENT) as c:
        while time.monotonic() < ends:
            i += 1
            t = time.monotonic()
            try:
                status: int | str = c.get(
                    base + "/sparql", params={"query": LIGHT.format(i=i)}, headers={"accept": "text/csv"}
                ).status_code
            except httpx.TransportError:
                status = "transport error"
            out.append((time.monotonic() - t, status))
            time.sleep(0.2)
    return out


def _innocent_open(base: str, seconds: float, first: int) -> list[tuple[float, int | str]]:
    """The same, but a new query starts every 0.2 s whether or not the earlier ones were answered
    (each on its own connection, from the same address): latency without coordinated omission."""
    out: list[tuple[float, int | str]] = []

    def ask(i: int) -> None:
        t = time.monotonic()
        with _client(INNOCENT) as c:
            try:
                q = {"query": LIGHT.format(i=i)}
                status: int | str = c.get(
                    base + "/sparql", params=q, headers={"accept": "text/csv"}
                ).status_code
            except httpx.TransportError:
                status = "transport error"
        out.append((time.monotonic() - t, status))

    threads: list[threading.Thread] = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        threads.append(threading.Thread(target=ask, args=(first + len(threads) + 1,)))
        threads[-1].start()
        time.sleep(0.2)
    for t in threads:
        t.join()  # each bounded by the client's 60 s timeout
    return out


def _attack(base: str, address: str, ends: float, seen: Counter) -> None:
    with _client(address) as c:
        i = 0
        while time.monotonic() < ends:
            i += 1
            try:
                q = {"query": f"{doubling()} # {address}-{i}"}
                status: int | str = c.post(base + "/sparql", data=q).status_code
            except httpx.TransportError:
                status = "transport error"
            seen[str(status)] += 1
            if status == 429:
                time.sleep(0.2)


def _summary(answers: list[tuple[float, int | str]]) -> dict:
    took = [t for t, _ in answers]
    statuses = Counter(str(s) for _, s in answers)
    return {
        "asked": len(answers),
        "p50_s": round(pct(took, 50), 3),
        "p99_s": round(pct(took, 99), 3),
        "max_s": round(max(took), 3) if took else None,
        "statuses": dict(statuses),
        "429": statuses.get("429", 0),
        "share_200": round(statuses.get("200", 0) / len(answers), 3) if answers else 0.0,
    }


def measure(seconds: float = 20, alone_s: float = 10, open_loop: bool = False, **settings: str) -> dict:
    """The innocent client alone for `alone_s`, then for `seconds` under attack (OTKG_ settings
    passed as keywords); open_loop: its queries start every 0.2 s without waiting for answers."""
    innocent = _innocent_open if open_loop else _innocent
    store = Path(tempfile.mkdtemp(prefix="otkg-bench-crash-"))
    try:
        with otkg_serve(store, **settings) as (base, proc, _, _):
            nested = httpx.post(base + "/sparql", data={"query": NESTED}, timeout=60).status_code
            alone = _summary(innocent(base, alone_s, 0))
            print(f"innocent alone: {alone}", flush=True)
            before = set(tree(proc.pid))
            seen: Counter = Counter()
            ends = time.monotonic() + seconds
            attackers = [threading.Thread(target=_attack, args=(base, a, ends, seen)) for a in ATTACKERS]
            for t in attackers:
                t.start()
            pids: set[int] = set(before)
            watch = threading.Thread(target=_watch, args=(proc.pid, ends, pids))
            watch.start()
            time.sleep(1)  # the attackers hold the workers first
            attacked = _summary(innocent(base, ends - time.monotonic(), 10_000))
            for t in [*attackers, watch]:
                t.join()
            print(f"innocent under attack: {attacked}", flush=True)
    finally:
        shutil.rmtree(store, ignore_errors=True)
    return {
        "seconds": seconds,
        "alone": alone,
        "attacked": attacked,
        "attackers": dict(seen),
        "new_processes": len(pids - before),
        "nested_status": nested,
    }


def _watch(pid: int, ends: float, pids: set[int]) -> None:
    """Every process the server had while attacked: new ones are replaced workers."""
    while time.monotonic() < ends:
        pids.update(tree(pid))
        time.sleep(0.1)


if __name__ == "__main__":
    print(measure())
