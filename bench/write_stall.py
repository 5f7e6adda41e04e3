"""Issue 22, item 7: readers' latency while a Trust uploads a 10 MB package. `otkg serve` (disk
store, response cache off so every read runs its query) holds the real graph; four readers, each
from its own loopback address, ask named lookups one after another. Each round: a quiet window,
then a PUT of a ~10 MB N-Triples package to /graph/local/bench-trust with a token scoped to that
slug, then 3 s more (the new generation switched in). The readers' p99 over the requests in flight
from the PUT to those 3 s after its answer, against the quiet window's; and, since a stalled reader
sends nothing while it waits (so a percentile undercounts a stall), how many reads took over 0.2 s
and how many were refused.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from otkg.kg.contrib import credentials
from otkg.kg.pipeline.scale import trust_upload

from .launch import otkg_serve
from .stats import paired_ratios, spread

SLUG = "bench-trust"
LIMIT = 10_000_000  # the server's max_upload_bytes
READERS = ("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14")
TARGET_S = 0.2  # readers' p99 during a write


def package(trusts: tuple[int, int]) -> bytes:
    """Two synthetic Trusts' packages under SLUG (40,756 triples, 7.1 MB of N-Triples), filled to just
    under the 10 MB limit by repeating the first one's lines (a set of triples: the repeats are read
    and dropped); a third Trust would pass the limit."""
    a, b = (trust_upload(t, SLUG) for t in trusts)
    body, room = a + b, LIMIT - 10_000 - len(a) - len(b)
    pad = a[:room]
    return body + pad[: pad.rfind(b"\n") + 1]


def pct(values: list[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))] if s else float("nan")


class Readers:
    """Threads asking /queries/cluster-by-code for codes 1-21 in turn until stopped; every request's
    start, end and status."""

    def __init__(self, base: str, addresses: tuple[str, ...] = READERS):
        self.base, self.stop = base, threading.Event()
        self.seen: list[tuple[float, float, int | str]] = []
        self.threads = [threading.Thread(target=self._read, args=(a,)) for a in addresses]

    def _read(self, address: str) -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30) as c:
            i = 0
            while not self.stop.is_set():
                i += 1
                t = time.monotonic()
                try:
                    r = c.get(self.base + "/queries/cluster-by-code", params={"code": i % 21 + 1})
                    status: int | str = (
                        r.status_code if r.status_code == 200 else f"{r.status_code} {_title(r)}"
                    )
                except httpx.TransportError:
                    status = "transport error"
                self.seen.append((t, time.monotonic(), status))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def between(self, start: float, end: float) -> list[tuple[float, float, int | str]]:
        """Requests that were in flight at some moment of [start, end]."""
        return [r for r in list(self.seen) if r[0] <= end and r[1] >= start]


def _title(r: httpx.Response) -> str:
    """A problem answer's title, which says why a read was not answered."""
    try:
        return str(r.json().get("title", ""))
    except ValueError:
        return ""


def _window(reqs) -> dict:
    took = [e - s for s, e, _ in reqs]
    return {
        "requests": len(reqs),
        "p50_s": round(pct(took, 50), 3),
        "p99_s": round(pct(took, 99), 3),
        "max_s": round(max(took), 3) if took else None,
        "over_0_2_s": sum(1 for t in took if t > TARGET_S),
        "not_200": dict(Counter(str(st) for *_, st in reqs if st != 200)),
    }


def measure(rounds: int, quiet_s: float = 5, after_s: float = 3, log=print) -> dict:
    """`rounds` uploads, alternating two packages (a create, then replacements), each after a quiet
    window of `quiet_s` seconds and followed by a window of `after_s` seconds (the new generation
    switched in)."""
    bodies = [package((3, 4)), package((5, 6))]
    store = Path(tempfile.mkdtemp(prefix="otkg-bench-writes-"))
    token = credentials.issue(store / "credentials.json", "bench", SLUG)
    headers = {"content-type": "application/n-triples", "authorization": f"Bearer {token}"}
    rows: list[dict] = []
    try:
        with otkg_serve(store, response_cache_mb="0") as (base, _, _, _), Readers(base) as readers:
            time.sleep(2)  # the readers past their first requests
            for r in range(rounds):
                q0 = time.monotonic()
                time.sleep(quiet_s)
                quiet = _window(readers.between(q0, time.monotonic()))
                t0 = time.monotonic()
                answer = httpx.put(
                    f"{base}/graph/local/{SLUG}", content=bodies[r % 2], headers=headers, timeout=300
                )
                t1 = time.monotonic()
                time.sleep(after_s)
                end = time.monotonic()
                during = _window(readers.between(t0, t1))
                after = _window(readers.between(t1, end))
                write = _window(readers.between(t0, end))  # the target's window: the write's whole effect
                rows.append(
                    {
                        "put_status": answer.status_code,
                        "put_s": round(t1 - t0, 2),
                        "quiet": quiet,
                        "during": during,
                        "after": after,
                        "write": write,
                    }
                )
                log(f"round {r + 1}/{rounds} upload: {rows[-1]}", flush=True)
    finally:
        shutil.rmtree(store, ignore_errors=True)
    return {
        "rows": rows,
        "bytes": [len(b) for b in bodies],
        "p99_write": spread([r["write"]["p99_s"] for r in rows]),
        "p99_ratio": spread(
            paired_ratios([r["write"]["p99_s"] for r in rows], [r["quiet"]["p99_s"] for r in rows])
        ),
        "rounds": rounds,
    }


if __name__ == "__main__":
    print(measure(2))
