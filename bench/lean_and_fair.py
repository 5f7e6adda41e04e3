"""Issue 22's rows of `make bench`: otkg's memory and start-up cost against `oxigraph serve`, its
raw lookup against a bare uvicorn + pyoxigraph app, readers during a 10 MB upload, and an innocent
client while four others crash-loop workers. Each row is bounded and loopback only, and records the
load average around it (the box is shared).

    python -m bench.lean_and_fair [launch] [lookup] [writes] [crashloop]

runs the named rows alone (all by default), prints them and writes build/benchmarks-issue22.md;
`make bench` runs them all into docs/benchmarks.md (BENCH_LEAN=0 skips them).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import crash_loop, launch, raw_lookup, write_stall
from .stats import fmt_spread, spread, verdict

ROOT = Path(__file__).parent.parent
ROWS = ["launch", "lookup", "writes", "crashloop"]
INTRO = [
    "`otkg serve` as a user runs it (the console script, one API process and its query workers, disk "
    "store, a current build) on the real graph, loopback only. launch: `otkg serve` on an empty store "
    "folder (the first serve after a build) and again on the folder it loaded, against `oxigraph serve` "
    "in memory loaded by PUT /store with the same N-Quads; CPU-seconds summed over each server's "
    "processes (reaped children included) from launch to the first answer of the one-row lookup, and "
    "PSS after both answered the lookup and the evidence trace 10 times each. lookup: the one-row lookup "
    "on /sparql, otkg with its response cache off and the client budget lifted, against "
    "`bench/bare_app.py` (uvicorn + FastAPI + pyoxigraph in memory, no limits) and `oxigraph serve`, wrk "
    "with 16 connections, rotated rounds. writes: four readers (own addresses) ask "
    "/queries/cluster-by-code one request after another (cache off) while a Trust's token PUTs a ~10 MB "
    "N-Triples package. crashloop: four clients POST a query doubling a 1 KiB string 20 times (past the "
    "512 MiB per-query limit: its worker is stopped and replaced) for 20 s while an innocent client "
    "asks a new light query, waits for the answer, then 0.2 s (closed loop), or starts one every 0.2 s "
    "(open loop).",
]


def _rows(rounds: int, seconds: int, warmup: int) -> dict[str, Callable[[], dict]]:
    return {
        "launch": lambda: launch.measure(max(3, rounds // 2 + 1)),
        "lookup": lambda: raw_lookup.measure(rounds, seconds, warmup),
        "writes": lambda: write_stall.measure(3),
        "crashloop": lambda: {
            "default": crash_loop.measure(20, 10),
            "default, open loop": crash_loop.measure(20, 10, open_loop=True),
            "query_memory_mb=64": crash_loop.measure(20, 10, query_memory_mb="64"),
        },
    }


def measure(names: list[str], rounds: int = 5, seconds: int = 10, warmup: int = 3) -> dict:
    """The named rows, each with the load average (1, 5, 15 min) before and after it."""
    rows, found = _rows(rounds, seconds, warmup), {}
    if unknown := set(names) - set(rows):
        raise ValueError(f"no rows {sorted(unknown)}; rows: {', '.join(ROWS)}")
    for name in names:
        before = os.getloadavg()
        found[name] = {"figures": rows[name](), "load": [round(x, 2) for x in (*before, *os.getloadavg())]}
    return found


def _seconds(s: dict | None) -> str:
    if s is None:
        return "n/a"
    n = s["rounds"]
    return f"{s['median']:.2f} s ({s['min']:.2f}-{s['max']:.2f}, {n} round{'' if n == 1 else 's'})"


def _statuses(counts: dict) -> str:
    return ", ".join(f"{v} x {k}" for k, v in sorted(counts.items())) or "0"


def _load(row: dict) -> str:
    b, a = row["load"][:3], row["load"][3:]
    return f"load average before {b[0]}, {b[1]}, {b[2]}; after {a[0]}, {a[1]}, {a[2]}"


def _launch(row: dict) -> list[str]:
    f, out = row["figures"], []
    for kind in (launch.EMPTY, launch.LOADED):
        r = f["ratios"][f"{kind} / {launch.OXI}"]
        cpu = spread([x["cpu_s"] for x in f["runs"][kind]])
        out.append(
            f"| PSS, {kind}, <= 3x oxigraph | {fmt_spread(r['pss_mib'])} | {verdict(r['pss_mib'], 3, at_most=True)} |"
        )
        out.append(
            f"| CPU-s launch to first answer, {kind}, <= 2 s | {_seconds(cpu)}; "
            f"{fmt_spread(r['cpu_s'])} oxigraph's | {verdict(cpu, 2, at_most=True)} |"
        )
    return out


def _lookup(row: dict) -> list[str]:
    f = row["figures"]
    errors = sum(r["errors"] for r in f["rows"])
    v = "not met (errors)" if errors else verdict(f["vs_bare"], raw_lookup.TARGET)
    return [
        f"| raw one-row lookup >= {raw_lookup.TARGET}x bare uvicorn + pyoxigraph | {fmt_spread(f['vs_bare'])} | {v} |"
    ]


def _writes(row: dict) -> list[str]:
    f = row["figures"]
    w = [r["write"] for r in f["rows"]]
    stalled = sum(x["over_0_2_s"] for x in w)
    refused = sum(sum(x["not_200"].values()) for x in w)
    return [
        f"| readers' p99 from a 10 MB upload to 3 s after its answer <= {write_stall.TARGET_S} s | "
        f"{_seconds(f['p99_write'])}; {stalled} of {sum(x['requests'] for x in w)} reads over 0.2 s "
        f"(longest {max(x['max_s'] or 0 for x in w)} s), {refused} not answered 200 | "
        f"{verdict(f['p99_write'], write_stall.TARGET_S, at_most=True)} |"
    ]


def _crash(row: dict) -> list[str]:
    out = []
    for variant, f in row["figures"].items():
        a = f["attacked"]
        ok = a["429"] == 0 and a["share_200"] >= 0.9
        out.append(
            f"| innocent client under a crash loop ({variant}): 0 429s, >= 90% 200s | {a['429']} x 429, "
            f"{a['share_200']:.0%} 200 of {a['asked']} asked; p50 {a['p50_s']} s, p99 {a['p99_s']} s | {'met' if ok else 'not met'} |"
        )
    return out


def _details(found: dict) -> list[str]:
    out: list[str] = []
    if r := found.get("launch"):
        out += ["", f"Launch and memory ({_load(r)}), per round:", ""]
        out += ["| server | wall s | CPU-s | PSS MiB | processes |", "|---|---|---|---|---|"]
        for kind, runs in r["figures"]["runs"].items():
            out += [
                f"| {kind} | {x['wall_s']} | {x['cpu_s']} | {x['pss_mib']} | {x['processes']} |" for x in runs
            ]
    if r := found.get("lookup"):
        f = r["figures"]
        out += [
            "",
            f"Raw lookup, wrk 16 connections, {f['rounds']} rounds of {f['seconds']} s ({_load(r)}):",
            "",
        ]
        out += ["| server | rps (median) | rps per round | p99 ms | errors |", "|---|---|---|---|---|"]
        out += [
            f"| {x['server']} | {x['rps']} | {x['rounds_rps']} | {x['p99_ms']} | {x['errors']} |"
            for x in f["rows"]
        ]
        out += [
            "",
            f"otkg / oxigraph serve: {fmt_spread(f['vs_oxigraph'])}; bare / oxigraph serve: {fmt_spread(f['bare_vs_oxigraph'])}.",
        ]
    if r := found.get("writes"):
        f = r["figures"]
        out += [
            "",
            f"10 MB uploads ({', '.join(f'{b:,}' for b in f['bytes'])} bytes; {_load(r)}), readers' figures per round:",
            "",
        ]
        out += [
            "| PUT | PUT s | window | requests | p50 s | p99 s | max s | over 0.2 s | not 200 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for x in f["rows"]:
            for w in ("quiet", "during", "after", "write"):
                y = x[w]
                out.append(
                    f"| {x['put_status']} | {x['put_s']} | {w} | {y['requests']} | {y['p50_s']} | {y['p99_s']} | "
                    f"{y['max_s']} | {y['over_0_2_s']} | {_statuses(y['not_200'])} |"
                )
        out += [
            "",
            "Windows: quiet (5 s before the PUT), during (the PUT until its answer), after (3 s after it), "
            f"write (during and after: the target's). p99 of write over quiet: {fmt_spread(f['p99_ratio'])}.",
        ]
    if r := found.get("crashloop"):
        out += ["", f"Crash loop, {_load(r)}:", ""]
        out += [
            "| settings | innocent | asked | p50 s | p99 s | max s | answers | attackers' answers | new processes | nesting query |"
        ]
        out += ["|---|---|---|---|---|---|---|---|---|---|"]
        for variant, f in r["figures"].items():
            for phase in ("alone", "attacked"):
                a = f[phase]
                extra = ["", "", ""]
                if phase == "attacked":
                    extra = [_statuses(f["attackers"]), str(f["new_processes"]), str(f["nested_status"])]
                out.append(
                    f"| {variant} | {phase} | {a['asked']} | {a['p50_s']} | {a['p99_s']} | {a['max_s']} | "
                    f"{_statuses(a['statuses'])} | {' | '.join(extra)} |"
                )
    return out


def report_lines(found: dict) -> list[str]:
    """The section of docs/benchmarks.md for these rows: targets with verdicts, then the figures."""
    out = [
        "## Lean, writes and fairness (issue 22)",
        "",
        *INTRO,
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
    ]
    for name, lines in (("launch", _launch), ("lookup", _lookup), ("writes", _writes), ("crashloop", _crash)):
        if name in found:
            out += lines(found[name])
    return out + _details(found) + [""]


def main(argv: list[str]) -> int:
    names = argv or ROWS
    unknown = set(names) - set(ROWS)
    if unknown:
        print(f"unknown rows {sorted(unknown)}; rows: {' '.join(ROWS)}", file=sys.stderr)
        return 2
    e = os.environ
    found = measure(
        names, int(e.get("BENCH_ROUNDS", 5)), int(e.get("BENCH_SECONDS", 10)), int(e.get("BENCH_WARMUP", 3))
    )
    text = "\n".join(report_lines(found)) + "\n"
    out = ROOT / "build" / "benchmarks-issue22.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
