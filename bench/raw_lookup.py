"""Issue 22: the raw one-row lookup (graphs.LOOKUP over GET /sparql) on `otkg serve` against the
Python ceiling, a bare uvicorn + FastAPI + pyoxigraph app (bench.bare_app) loading the same
build/otkg.nq in memory, with `oxigraph serve` in memory beside them for scale. wrk, 16
connections, rotated rounds; otkg's response cache is off (the bare app has none) and its
per-client budget lifted (wrk's connections all come from one address).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

from .graphs import LOOKUP
from .launch import OXI, current_build, otkg_serve, oxigraph_serve
from .servers import BIN, free_port, running, settle, wrk
from .stats import paired_ratios, rotated, spread

ROOT = Path(__file__).parent.parent
OTKG, BARE = "otkg serve (cache off)", "bare uvicorn + pyoxigraph"
TARGET = 0.6  # otkg's requests per second over the bare app's
ACCEPT = {"accept": "application/sparql-results+json"}


@contextmanager
def bare(nquads: Path):
    """bench.bare_app under uvicorn as otkg serves (one process, httptools, no access log)."""
    port = free_port()
    cmd = [str(BIN / "python"), "-m", "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1"]
    cmd += [
        "--port",
        str(port),
        "--workers",
        "1",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    env = {"BENCH_BARE_NQ": str(nquads), "PYTHONPATH": str(ROOT)}
    with running(cmd, f"http://127.0.0.1:{port}/", env, timeout=300) as proc:
        yield f"http://127.0.0.1:{port}", proc


def measure(rounds: int, seconds: int, warmup: int = 3, log=print) -> dict:
    """The three servers up at once; each round runs wrk on each, in rotated order, each server
    idle before the next run."""
    nquads = current_build() / "otkg.nq"
    store = Path(tempfile.mkdtemp(prefix="otkg-bench-lookup-"))
    q = quote(LOOKUP)
    try:
        with ExitStack() as stack:
            o_base, o_proc, _, _ = stack.enter_context(
                otkg_serve(store, response_cache_mb="0", client_budget_s="1000000")
            )
            b_base, b_proc = stack.enter_context(bare(nquads))
            x_base, x_proc, _, _ = stack.enter_context(oxigraph_serve(nquads))
            urls = {
                OTKG: f"{o_base}/sparql?query={q}",
                BARE: f"{b_base}/sparql?query={q}",
                OXI: f"{x_base}/query?query={q}",
            }
            pids = {OTKG: o_proc.pid, BARE: b_proc.pid, OXI: x_proc.pid}
            for name, url in urls.items():
                wrk(url, seconds=warmup, headers=ACCEPT)
                settle(pids[name])
            runs: dict[str, list[dict]] = {k: [] for k in urls}
            for r in range(rounds):
                for name in rotated(list(urls), r):
                    runs[name].append(wrk(urls[name], seconds=seconds, headers=ACCEPT))
                    settle(pids[name])
                    log(
                        f"round {r + 1}/{rounds} raw lookup, {name}: {runs[name][-1]['rps']:.0f} rps",
                        flush=True,
                    )
    finally:
        shutil.rmtree(store, ignore_errors=True)
    rps = {k: [x["rps"] for x in v] for k, v in runs.items()}
    return {
        "rows": [
            {
                "server": k,
                "rps": round(statistics.median(rps[k]), 1),
                "rounds_rps": " / ".join(f"{x:.0f}" for x in rps[k]),
                "p99_ms": statistics.median(x["p99_ms"] or 0 for x in v),
                "errors": sum(x["non2xx"] + x["socket_errors"] for x in v),
            }
            for k, v in runs.items()
        ],
        "vs_bare": spread(paired_ratios(rps[OTKG], rps[BARE])),
        "vs_oxigraph": spread(paired_ratios(rps[OTKG], rps[OXI])),
        "bare_vs_oxigraph": spread(paired_ratios(rps[BARE], rps[OXI])),
        "rounds": rounds,
        "seconds": seconds,
    }


if __name__ == "__main__":  # a quick look: 1 round of 5 s
    print(measure(int(os.environ.get("BENCH_ROUNDS", 1)), int(os.environ.get("BENCH_SECONDS", 5))))
