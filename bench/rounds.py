"""Measure routes in rounds with every server up together: in each round the routes' groups, and
the servers inside a group, go in a rotated order, so that no server always runs first or last
and each pair of figures that a ratio divides was taken minutes apart at most.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import httpx

from .servers import wrk
from .stats import paired_ratios, rotated, spread

RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Target:
    """One route of one server, with the group whose members are compared with each other."""

    server: str  # e.g. "otkg", "otkg, cache on", "oxigraph serve, in memory"
    route: str  # what is requested, for the report
    query: str  # "evidence trace", "one-row lookup", "entity page"
    url: str
    accept: str = RESULTS_JSON
    cache: bool = False

    @property
    def group(self) -> tuple[str, bool]:
        return self.query, self.cache


def check(t: Target) -> dict:
    """Five requests before the rounds: the first one's status and number of result rows (SPARQL
    JSON), so the report shows that the servers compared gave the same answer, and the others'
    cache headers ("hit" where otkg answered from memory; each uvicorn worker has its own cache)."""
    answers = [httpx.get(t.url, headers={"accept": t.accept}, timeout=60) for _ in range(5)]
    out = {
        "status": answers[0].status_code,
        "cache_header": " ".join(a.headers.get("x-otkg-cache", "-") for a in answers[1:]),
    }
    if answers[0].status_code == 200 and t.accept == RESULTS_JSON:
        out["rows"] = len(answers[0].json()["results"]["bindings"])
    return out


def warm(targets: list[Target], seconds: int, settle) -> None:
    """A short wrk run on each route: workers past start-up, store pages read, caches filled."""
    for t in targets:
        wrk(t.url, seconds=seconds, headers={"accept": t.accept})
        settle(t)


def run_rounds(
    targets: list[Target], rounds: int, seconds: int, settle, log=print
) -> dict[Target, list[dict]]:
    """wrk (16 connections, `seconds` each) on every target, `rounds` times, in rotated order;
    settle(target) waits until that server has finished what wrk left queued."""
    groups = list(dict.fromkeys(t.group for t in targets))
    done: dict[Target, list[dict]] = {t: [] for t in targets}
    for r in range(rounds):
        for g in rotated(groups, r):
            for t in rotated([t for t in targets if t.group == g], r):
                done[t].append(wrk(t.url, seconds=seconds, headers={"accept": t.accept}))
                waited = settle(t)
                log(
                    f"round {r + 1}/{rounds} {t.query}, {t.server} {t.route}: {done[t][-1]['rps']:.0f} rps "
                    f"(idle {waited} s later)",
                    flush=True,
                )
    return done


def summary(t: Target, runs: list[dict]) -> dict:
    """A target's figures over its rounds: median rps and latencies, every round's rps, errors."""
    return {
        "server": t.server,
        "route": t.route,
        "query": t.query,
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "rounds_rps": " / ".join(f"{r['rps']:.0f}" for r in runs),
        "p50_ms": round(statistics.median(r["p50_ms"] or 0 for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] or 0 for r in runs), 2),
        "requests": sum(r["requests"] for r in runs),
        "non2xx": sum(r["non2xx"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
    }


def ratios(done: dict[Target, list[dict]], references: list[str]) -> list[dict]:
    """otkg (cache off) over each reference server, per route and round, with the spread."""
    out = []
    for t, runs in done.items():
        if t.cache or not t.server.startswith("otkg"):
            continue
        for ref, ref_runs in done.items():
            if ref.server in references and ref.query == t.query:
                s = spread(paired_ratios([r["rps"] for r in runs], [r["rps"] for r in ref_runs]))
                errors = sum(r["non2xx"] + r["socket_errors"] for r in [*runs, *ref_runs])
                out.append(
                    {
                        "query": t.query,
                        "route": t.route,
                        "reference": ref.server,
                        "spread": s,
                        "errors": errors,
                    }
                )
    return out
