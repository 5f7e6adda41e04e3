"""National pages with Trusts' uploads (issue 20, item 3): /id/intervention-04, its /trace and
/id/cluster-2, as HTML and JSON, on otkg with 20 uploads loaded against otkg with none, both up at
once and measured in the same rounds. `python -m bench.national_pages` runs it alone; `make bench`
runs it too (BENCH_UPLOADS=0 skips it).

One client asks each route one request after another for the round's seconds, so a figure is the
latency of a page, not of a queue: p50 and p95 of each round, and the per-round ratio of the
loaded store's to the empty one's. The response cache is off (each request runs its reads), and the
per-client budget is lifted, since every request comes from one address.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
from otkg.kg.pipeline import build as build

from .servers import free_port, otkg_command, running, settle
from .stats import fmt_spread, paired_ratios, rotated, spread, verdict
from .uploaded_store import LINKED, load, uploads

PAGES = [
    ("/id/intervention-04", "/id/intervention-04"),
    ("/trace of intervention-04", "/trace?iri=" + quote("https://w3id.org/otkg/id/intervention-04", safe="")),
    ("/id/cluster-2", "/id/cluster-2"),
]
KINDS = [("HTML", "text/html"), ("JSON", "application/json")]
EMPTY, LOADED = "no uploads", "20 uploads"
TARGET = 1.5  # the loaded store's p50 at most this many times the empty one's
SYNTHETIC_TRUSTS = 14  # besides the twins: 3 x Trust 7 and 3 x the cluster 2 sheet


@contextmanager
def _otkg(store_dir: Path):
    """`otkg serve` as the other rows run it (2 uvicorn workers, disk store), response cache off."""
    port = free_port()
    env = {
        "OTKG_BUILD_DIR": str(build.BUILD_DIR),
        "OTKG_STORE_DIR": str(store_dir),
        "OTKG_STORE": "disk",
        "OTKG_RESPONSE_CACHE_MB": "0",
        "OTKG_CLIENT_BUDGET_S": "1000000",
    }
    with running(otkg_command(port, 2), f"http://127.0.0.1:{port}/", env, timeout=900) as proc:
        yield f"http://127.0.0.1:{port}", proc


def _latencies(client: httpx.Client, url: str, accept: str, seconds: float) -> tuple[list[float], int]:
    """Milliseconds of each request made one after another for `seconds` (at least 10), and how
    many answered other than 200."""
    times: list[float] = []
    bad, end = 0, time.monotonic() + seconds
    while time.monotonic() < end or len(times) < 10:
        t = time.perf_counter()
        r = client.get(url, headers={"accept": accept})
        times.append((time.perf_counter() - t) * 1000)
        bad += r.status_code != 200
    return times, bad


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(rounds: int, seconds: float, warmup: float) -> dict:
    """Prepare both stores, serve them, and measure every route in `rounds` rotated rounds."""
    made = time.perf_counter()
    roots = {name: Path(tempfile.mkdtemp(prefix="otkg-bench-uploads-")) for name in (EMPTY, LOADED)}
    try:
        load(roots[EMPTY], build.BUILD_DIR, None)
        loaded = load(roots[LOADED], build.BUILD_DIR, uploads(SYNTHETIC_TRUSTS))
        prepared = round(time.perf_counter() - made, 1)
        with ExitStack() as stack:
            servers = {name: stack.enter_context(_otkg(root)) for name, root in roots.items()}
            client = stack.enter_context(httpx.Client(timeout=60))
            routes = [(f"{page} ({kind})", path, accept) for page, path in PAGES for kind, accept in KINDS]
            runs: dict[tuple[str, str], list[dict]] = {}
            for _, path, accept in routes:
                for base, _ in servers.values():
                    _latencies(client, base + path, accept, warmup)
            for r in range(rounds):
                for label, path, accept in rotated(routes, r):
                    for name in rotated(list(servers), r):
                        base, proc = servers[name]
                        settle(proc.pid)
                        times, bad = _latencies(client, base + path, accept, seconds)
                        runs.setdefault((label, name), []).append(
                            {"p50": _pct(times, 50), "p95": _pct(times, 95), "n": len(times), "bad": bad}
                        )
    finally:
        for root in roots.values():
            shutil.rmtree(root, ignore_errors=True)
    return _summary(runs, loaded, prepared, rounds, seconds)


def _summary(runs: dict, loaded, prepared: float, rounds: int, seconds: float) -> dict:
    rows, ratios = [], []
    for (label, name), done in runs.items():
        rows.append(
            {
                "route": label,
                "store": name,
                "p50_ms": round(statistics.median(d["p50"] for d in done), 2),
                "p95_ms": round(statistics.median(d["p95"] for d in done), 2),
                "rounds_p50": " / ".join(f"{d['p50']:.1f}" for d in done),
                "requests": sum(d["n"] for d in done),
                "non200": sum(d["bad"] for d in done),
            }
        )
        if name == LOADED:
            empty = runs[(label, EMPTY)]
            ratios.append(
                {
                    "route": label,
                    "p50": spread(paired_ratios([d["p50"] for d in done], [d["p50"] for d in empty])),
                    "p95": spread(paired_ratios([d["p95"] for d in done], [d["p95"] for d in empty])),
                    "errors": sum(d["bad"] for d in done + empty),
                }
            )
    return {
        "rows": sorted(rows, key=lambda r: (r["route"], r["store"] != EMPTY)),
        "ratios": sorted(ratios, key=lambda r: r["route"]),
        "uploads": len(loaded.uploads),
        "triples": loaded.triples,
        "prepared_s": prepared,
        "rounds": rounds,
        "seconds": seconds,
    }


def report_lines(found: dict) -> list[str]:
    """The report's section: the target per route, then the rows."""
    lines = [
        "## National pages with Trusts' uploads (issue 20)",
        "",
        f"otkg (2 uvicorn workers, disk store, response cache off) on the real graph with no uploads and, "
        f"up at the same time, with {found['uploads']} uploads ({found['triples']:,} triples: the cluster 2 "
        f"sheet and synthetic Trust {LINKED}'s package each under three slugs, {SYNTHETIC_TRUSTS} other "
        "synthetic Trusts' packages; `bench/uploaded_store.py`, prepared in "
        f"{found['prepared_s']} s). One client asks a route one request after another for "
        f"{found['seconds']} s per round, {found['rounds']} rounds, the routes and the two servers in "
        "rotated order; a ratio is the loaded store's figure over the empty store's in the same round, "
        "as median (min-max) over the rounds.",
        "",
        f"| route | p50 with uploads <= {TARGET}x without | p95 ratio | verdict |",
        "|---|---|---|---|",
    ]
    for r in found["ratios"]:
        v = "not met (errors)" if r["errors"] else verdict(r["p50"], TARGET, at_most=True)
        lines.append(f"| {r['route']} | {fmt_spread(r['p50'])} | {fmt_spread(r['p95'])} | {v} |")
    lines += [
        "",
        "| route | store | p50_ms | p95_ms | rounds_p50 | requests | non200 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in found["rows"]:
        cells = [r[k] for k in ("route", "store", "p50_ms", "p95_ms", "rounds_p50", "requests", "non200")]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return [*lines, ""]


def main() -> int:
    rounds = int(os.environ.get("BENCH_ROUNDS", 5))
    seconds = float(os.environ.get("BENCH_SECONDS", 10)) / 2
    warmup = float(os.environ.get("BENCH_WARMUP", 3))
    if not build.is_current():
        build.build()
    print("\n".join(report_lines(measure(rounds, seconds, warmup))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
