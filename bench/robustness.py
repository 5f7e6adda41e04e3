"""`python -m bench.robustness`: load and fault figures for issue 5, written to docs/robustness.md.

Bounded and loopback only. Three runs against `otkg serve` on the embedded disk store:
1. 16 clients on a named query for 60 s (wrk);
2. the same with 14 clients while 2 abusive clients, from their own loopback addresses, send
   runaway SPARQL queries back to back and ignore every Retry-After;
3. kill -9 of the server at random moments of an upload, 50 times: after each restart the
   local graph must be exactly the state before or after the upload, and an acknowledged
   upload must be there.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from otkg.kg.pipeline import build as build
from otkg.kg.pipeline.scale import trust_upload

from .servers import free_port, otkg_command, running, wrk

ROOT = Path(__file__).parent.parent
NAMED = "/queries/evidence-for-entity?entity=https://w3id.org/otkg/id/intervention-04"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TOKEN = "robustness-bench-token"
SLUG = "bench-trust"
GRAPH = "https://w3id.org/otkg/graph/local/" + SLUG
DUMP = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def _server(store_dir: Path, port: int, workers: int, cache: bool = True):
    cmd = otkg_command(port, workers)
    env = {
        "OTKG_BUILD_DIR": str(build.BUILD_DIR),
        "OTKG_STORE_DIR": str(store_dir),
        "OTKG_STORE": "disk",
        "OTKG_WRITE_TOKEN_SHA256": hashlib.sha256(TOKEN.encode()).hexdigest(),
        "OTKG_RESPONSE_CACHE_MB": "64" if cache else "0",
    }
    return running(cmd, f"http://127.0.0.1:{port}/", env)


def _abuse(base: str, address: str, stop: threading.Event, seen: Counter) -> None:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30) as c:
        while not stop.is_set():
            try:
                seen[c.get(base + "/sparql", params={"query": RUNAWAY}).status_code] += 1
            except httpx.TransportError:
                seen["transport error"] += 1


def load_runs(store_dir: Path, seconds: int) -> list[dict]:
    """Both runs without the response cache (every request runs its query in a worker), then with
    it (the default, where a repeated named query is answered from memory)."""
    rows = []
    for cache in (False, True):
        tag = "" if cache else ", no cache"
        port = free_port()
        with _server(store_dir, port, 2, cache):
            base = f"http://127.0.0.1:{port}"
            wrk(base + NAMED, seconds=3)  # warm-up
            rows.append(
                {"run": f"16 clients, named query{tag}", **wrk(base + NAMED, seconds=seconds, connections=16)}
            )
            stop, seen = threading.Event(), Counter[int | str]()
            abusers = [
                threading.Thread(target=_abuse, args=(base, a, stop, seen))
                for a in ("127.0.0.2", "127.0.0.3")
            ]
            for t in abusers:
                t.start()
            try:
                rows.append(
                    {
                        "run": f"14 clients, named query, with 2 abusive clients{tag}",
                        **wrk(base + NAMED, seconds=seconds, connections=14),
                    }
                )
            finally:
                stop.set()
                for t in abusers:
                    t.join()
            rows[-1]["abusive answers"] = ", ".join(f"{k}: {v}" for k, v in sorted(seen.items(), key=str))
    for r in rows:
        print(r, flush=True)
    return rows


def _graph_digest(base: str) -> str:
    r = httpx.get(
        base + "/sparql", params={"query": DUMP}, headers={"accept": "application/n-triples"}, timeout=60
    )
    r.raise_for_status()
    return hashlib.sha256(b"".join(sorted(r.content.splitlines(keepends=True)))).hexdigest()


def _digest_of(body: bytes) -> str:
    return hashlib.sha256(b"".join(sorted(set(body.splitlines(keepends=True))))).hexdigest()


def kill_trials(store_dir: Path, trials: int, seed: int = 5) -> dict:
    """Upload alternately two Trusts' packages to one graph and kill -9 the server mid-way."""
    rng = random.Random(seed)
    bodies = [trust_upload(3, SLUG), trust_upload(4, SLUG)]
    states = {
        _digest_of(b""): "empty",
        _digest_of(bodies[0]): "package A",
        _digest_of(bodies[1]): "package B",
    }
    headers = {"content-type": "application/n-triples", "authorization": f"Bearer {TOKEN}"}
    committed, outcome = "empty", Counter[str]()
    for i in range(trials):
        body, name = bodies[i % 2], ("package A", "package B")[i % 2]
        port = free_port()
        with _server(store_dir, port, 1) as proc:
            base = f"http://127.0.0.1:{port}"
            before = states.get(_graph_digest(base), "unknown")
            assert before == committed, f"trial {i}: store holds {before}, expected {committed}"
            # Odd trials: a kill anywhere in the upload (mostly parsing and SHACL). Even trials: a kill
            # inside the commit itself, from 0 to 30 ms after its staging folder appears.
            delay = rng.uniform(0, 2.5)
            result: dict[str, object] = {}

            def put(base: str, body: bytes, result: dict) -> None:  # this trial's values, passed in
                try:
                    t = time.monotonic()
                    r = httpx.put(
                        base + "/graph/local/bench-trust", content=body, headers=headers, timeout=60
                    )
                    result["status"], result["seconds"] = r.status_code, time.monotonic() - t
                except httpx.TransportError:
                    result["status"] = "cut"

            thread = threading.Thread(target=put, args=(base, body, result))
            thread.start()
            if i % 2:
                time.sleep(delay)
            else:
                delay = rng.uniform(0, 0.03)
                while thread.is_alive() and not any(p.name.endswith(".loading") for p in store_dir.iterdir()):
                    time.sleep(0.0005)
                time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)  # the server and its query workers, as a crash would
            thread.join()
        acked = result.get("status") in (201, 204)
        port = free_port()
        with _server(store_dir, port, 1):
            after = states.get(_graph_digest(f"http://127.0.0.1:{port}"), "unknown")
        ok = after in (committed, name) and (not acked or after == name)
        outcome["exact before/after state" if ok else "WRONG STATE"] += 1
        outcome["acknowledged" if acked else "not acknowledged"] += 1
        outcome[f"after = {'new' if after == name and after != committed else 'old'}"] += 1
        committed = after
        when = "in the commit" if i % 2 == 0 else "in the upload"
        outcome[f"killed {when}"] += 1
        print(
            f"trial {i}: killed {when} (+{delay:.3f} s), answer {result.get('status')}, state {after}",
            flush=True,
        )
    return dict(outcome)


def write_report(path: Path, rows: list[dict], kills: dict, trials: int) -> Path:
    lines = [
        "# Robustness figures",
        "",
        f"Made by `python -m bench.robustness` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        "loopback only; `otkg serve` (2 uvicorn workers, 3 query workers each, disk store). The named query "
        'is the evidence trace of intervention-04; "no cache" runs turn the response cache off, so that '
        "every request runs its query in a worker process. The abusive clients send a three-way "
        "cartesian product (`RUNAWAY` in bench/robustness.py) from 127.0.0.2 and 127.0.0.3.",
        "",
        "## Load",
        "",
        "| run | rps | requests | non-2xx | p50 ms | p99 ms | abusive clients' answers |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['run']} | {r['rps']} | {r['requests']} | {r['non2xx']} | {r['p50_ms']} | "
            f"{r['p99_ms']} | {r.get('abusive answers', '')} |"
        )
    lines += [
        "",
        "Targets: 0 non-2xx and p99 <= 150 ms alone; with abusive clients, 0 non-2xx and p99 <= 500 ms "
        "for the others.",
        "",
        f"## kill -9 during uploads ({trials} trials)",
        "",
        "| outcome | trials |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in sorted(kills.items())]
    lines += [
        "",
        "Target: the exact before or after state every time; every acknowledged upload present "
        "after the restart.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    seconds = int(os.environ.get("OTKG_BENCH_SECONDS", "60"))
    trials = int(os.environ.get("OTKG_BENCH_TRIALS", "50"))
    build.build()
    store_dir = Path(tempfile.mkdtemp(prefix="otkg-robustness-"))
    try:
        rows = load_runs(store_dir, seconds)
        kills = kill_trials(store_dir, trials)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
    print(kills)
    print(f"wrote {write_report(ROOT / 'docs' / 'robustness.md', rows, kills, trials)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
