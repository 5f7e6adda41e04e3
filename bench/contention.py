"""Issue 13's fairness target: 16 clients on the evidence trace, alone and while 2 abusive clients
(from their own loopback addresses, ignoring every Retry-After) send slow traces and searches back
to back; the 16 clients' p99 with them over without them, per round, and the errors they saw.
"""

from __future__ import annotations

import threading
from collections import Counter
from itertools import cycle

import httpx

from .servers import settle, wrk
from .stats import paired_ratios, rotated, spread

# The slowest reads issue 13 names: the trace of doc-002 (one query per piece of evidence, about
# 500) and a text search matching many passages.
ABUSE = [
    ("/trace", {"iri": "https://w3id.org/otkg/id/doc-002"}),
    ("/search", {"q": "occupational therapy", "limit": "100"}),
]
ABUSERS = ("127.0.0.2", "127.0.0.3")


def _abuse(base: str, address: str, stop: threading.Event, seen: Counter) -> None:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60) as c:
        for path, params in cycle(ABUSE):
            if stop.is_set():
                return
            try:
                seen[f"{path} {c.get(base + path, params=params).status_code}"] += 1
            except httpx.TransportError:
                seen[f"{path} transport error"] += 1


def _with_abusers(base: str, url: str, seconds: int, seen: Counter) -> dict:
    stop = threading.Event()
    threads = [threading.Thread(target=_abuse, args=(base, a, stop, seen)) for a in ABUSERS]
    for t in threads:
        t.start()
    try:
        return wrk(url, seconds=seconds, connections=16)
    finally:
        stop.set()
        for t in threads:
            t.join()


def contention(base: str, pid: int, url: str, rounds: int, seconds: int, log=print) -> dict:
    """Alone and with the abusers, in alternating order for `rounds` rounds, the server (process
    `pid`) idle before each run."""
    runs: dict[str, list[dict]] = {"alone": [], "abused": []}
    seen: Counter = Counter()
    for r in range(rounds):
        for kind in rotated(["alone", "abused"], r):
            runs[kind].append(
                wrk(url, seconds=seconds, connections=16)
                if kind == "alone"
                else _with_abusers(base, url, seconds, seen)
            )
            settle(pid)
            log(f"round {r + 1}/{rounds} contention {kind}: p99 {runs[kind][-1]['p99_ms']} ms", flush=True)
    return {
        "p99_alone_ms": [r["p99_ms"] for r in runs["alone"]],
        "p99_abused_ms": [r["p99_ms"] for r in runs["abused"]],
        "spread": spread(
            paired_ratios([r["p99_ms"] for r in runs["abused"]], [r["p99_ms"] for r in runs["alone"]])
        ),
        "errors": sum(r["non2xx"] + r["socket_errors"] for r in runs["abused"]),
        "errors_alone": sum(r["non2xx"] + r["socket_errors"] for r in runs["alone"]),
        "abusive_answers": ", ".join(f"{k}: {v}" for k, v in sorted(seen.items())),
    }
