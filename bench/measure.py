"""One measurement in a fresh process: load a graph into an engine, report load time, RSS and
evidence-trace latency. Run as `python -m bench.measure ENGINE NQUADS ENTITIES_FILE RUNS`; prints JSON.

A fresh process per measurement keeps memory figures honest (nothing left from an earlier load).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from otkg.kg.query import query_service
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.store.parallel_load import bulk_load_nquads
from otkg.kg.store.seam import EmbeddedStore

QUERY = "evidence-for-entity"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _otkg(nquads: Path):
    root = Path(tempfile.mkdtemp(prefix="otkg-bench-"))
    st = ox.Store(str(root / "store"))
    bulk_load_nquads(st, nquads)  # as a release is loaded (kg.store.seam.prepare_release)
    st.flush()
    del st
    store = EmbeddedStore(ox.Store.read_only(str(root / "store")))
    q = load_catalog()[QUERY]
    return lambda entity: len(query_service.run_select(store, q, {"entity": entity}, 1000, 0).rows)


def _rdflib(nquads: Path):
    from rdflib import Dataset, URIRef

    ds = Dataset(default_union=True)
    ds.parse(str(nquads), format="nquads")
    text = load_catalog()[QUERY].text
    return lambda entity: len(list(ds.query(text, initBindings={"entity": URIRef(entity)})))


def main(engine: str, nquads: str, entities_file: str, runs: int) -> dict:
    entities = Path(entities_file).read_text().split()
    t0 = time.perf_counter()
    run = {"otkg": _otkg, "rdflib": _rdflib}[engine](Path(nquads))
    load_s = time.perf_counter() - t0
    rss = rss_mib()
    if runs > 1:  # warm-up; a single run (rdflib's, minutes long) is taken cold
        run(entities[0])
    times, rows = [], 0
    for i in range(runs):
        t = time.perf_counter()
        rows += run(entities[i % len(entities)])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "engine": engine,
        "load_s": round(load_s, 2),
        "rss_mib": round(rss, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
        "runs": runs,
        "rows": rows,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))))
