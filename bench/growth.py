"""The embedded store in process as the graph grows (10k, 100k, 1M quads), and rdflib for scale:
each measurement in a fresh process (bench.measure), so that memory figures start clean.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from otkg.kg.pipeline.scale import write_scale

from .graphs import LOOKUP, SCALE_ENTITY, named_as_sparql
from .servers import BIN, free_port, pss_mib, running, wrk

ROOT = Path(__file__).parent.parent
SIZES = (10_000, 100_000, 1_000_000)


def measure(engine: str, nquads: Path, entities: list[str], runs: int, timeout: int) -> dict:
    ents = Path(tempfile.mkstemp(suffix=".txt")[1])
    ents.write_text("\n".join(entities))
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.measure", engine, str(nquads), str(ents), str(runs)],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
        return (
            json.loads(out.stdout) if out.returncode == 0 else {"engine": engine, "error": out.stderr[-300:]}
        )
    except subprocess.TimeoutExpired:
        return {"engine": engine, "error": f"not finished within {timeout} s"}
    finally:
        ents.unlink(missing_ok=True)


def scale_series(out: Path, with_rdflib: bool) -> list[dict]:
    """Three fresh loads per size (a load's time swings with the disk's write-back; the median one
    is shown), then rdflib at the smallest size, one cold run."""
    rows = []
    for n in SIZES:
        path = out / f"scale-{n}.nq"
        if not path.exists():
            write_scale(n, out)
        triples = sum(1 for _ in path.open("rb"))
        ents = [
            f"https://w3id.org/otkg/id/syn-el-{t}-{c}-{e}"
            for t in range(max(1, triples // 11000))
            for c in (1, 5, 14, 20)
            for e in range(3)
        ]
        loads = sorted(
            (measure("otkg", path, ents, 300, 600) for _ in range(3)), key=lambda r: r.get("load_s", 1e9)
        )
        rows.append(
            {
                "size": n,
                "triples": triples,
                **loads[1],
                "load_rounds_s": " / ".join(str(r.get("load_s")) for r in loads),
            }
        )
        print(rows[-1], flush=True)
    if with_rdflib:  # its evaluator needed 155 s for one evidence trace at 10k quads here: one run only
        path = out / f"scale-{SIZES[0]}.nq"
        rows.append(
            {
                "size": SIZES[0],
                "triples": sum(1 for _ in path.open("rb")),
                **measure("rdflib", path, [SCALE_ENTITY], 1, 600),
            }
        )
        print(rows[-1], flush=True)
    return rows


def rdflib_endpoint(ttl: Path, entity: str, seconds: int) -> list[dict]:
    """rdflib-endpoint on the real graph, alone and after everything else: its evidence trace keeps
    its workers busy long after wrk stops, so it is never in the rounds; the lookup goes first."""
    import pyoxigraph as ox

    port = free_port()
    cmd = [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port), str(ttl)]
    ev = named_as_sparql("evidence-for-entity", {"entity": ox.NamedNode(entity)})
    with running(cmd, f"http://127.0.0.1:{port}/?query=ASK%7B%7D") as proc:
        base = f"http://127.0.0.1:{port}"
        pss, procs = pss_mib(proc.pid)
        rows = [
            {
                "query": "one-row lookup",
                "pss_mib": pss,
                "processes": procs,
                **wrk(f"{base}/?query={quote(LOOKUP)}", seconds=seconds),
            },
            {"query": "evidence trace", **wrk(f"{base}/?query={quote(ev)}", seconds=seconds)},
        ]
    for r in rows:
        print("rdflib-endpoint", r, flush=True)
    return rows
