"""`python -m bench` (or `make bench`): otkg side by side with rdflib and oxigraph serve, on this
machine, in one run; figures written to docs/benchmarks.md. Bounded: loopback only, fixed durations.
"""
from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

from kg import build
from kg.query_catalog import load_catalog
from kg.scale import write_scale
from kg.sparql_text import with_values

from .servers import BIN, free_port, rss_mib, running, wrk

ROOT = Path(__file__).parent.parent
SIZES = (10_000, 100_000, 1_000_000)
REAL_ENTITY = "https://w3id.org/otkg/id/intervention-04"
SCALE_ENTITY = "https://w3id.org/otkg/id/syn-el-0-0-0"
LIGHT = ("SELECT ?label WHERE { ?c <https://w3id.org/otkg/ontology#clusterCode> 14 ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")


def evidence_sparql(entity: str) -> str:
    """The evidence-trace named query as plain SPARQL, for servers without named queries."""
    return with_values(load_catalog()["evidence-for-entity"].text, {ox.Variable("entity"): ox.NamedNode(entity)})


def measure(engine: str, nquads: Path, entities: list[str], runs: int, timeout: int) -> dict:
    ents = Path(tempfile.mkstemp(suffix=".txt")[1])
    ents.write_text("\n".join(entities))
    try:
        out = subprocess.run([sys.executable, "-m", "bench.measure", engine, str(nquads), str(ents), str(runs)],
                             capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        return json.loads(out.stdout) if out.returncode == 0 else {"engine": engine, "error": out.stderr[-300:]}
    except subprocess.TimeoutExpired:
        return {"engine": engine, "error": f"not finished within {timeout} s"}


def scale_series(out: Path) -> list[dict]:
    rows = []
    for n in SIZES:
        path = out / f"scale-{n}.nq"
        if not path.exists():
            write_scale(n, out)
        triples = sum(1 for _ in path.open("rb"))
        ents = [f"https://w3id.org/otkg/id/syn-el-{t}-{c}-{e}" for t in range(max(1, triples // 11000))
                for c in (1, 5, 14, 20) for e in range(3)]
        # three fresh loads: a load's time swings with the disk's write-back; the median one is shown
        loads = sorted((measure("otkg", path, ents, 300, 600) for _ in range(3)), key=lambda r: r.get("load_s", 1e9))
        rows.append({"size": n, "triples": triples, **loads[1],
                     "load_rounds_s": " / ".join(str(r.get("load_s")) for r in loads)})
        print(rows[-1], flush=True)
    # rdflib's evaluator needed 155 s for one evidence-trace query at 10k triples here: one run only.
    path = out / f"scale-{SIZES[0]}.nq"
    rows.append({"size": SIZES[0], "triples": sum(1 for _ in path.open("rb")),
                 **measure("rdflib", path, [SCALE_ENTITY], 1, 600)})
    print(rows[-1], flush=True)
    return rows


def _otkg_server(build_dir: Path, port: int, cache: bool):
    cmd = [str(BIN / "python"), "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", "2", "--no-access-log", "--log-level", "warning"]
    env = {"OTKG_BUILD_DIR": str(build_dir), "OTKG_STORE_DIR": str(build_dir / "store"),
           "OTKG_RESPONSE_CACHE_MB": "64" if cache else "0"}
    return running(cmd, f"http://127.0.0.1:{port}/", env)


ROUNDS = 3


def _median_run(runs: list[dict]) -> dict:
    """The run with the median rps, and every round's rps beside it."""
    mid = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    return {**mid, "rounds_rps": " / ".join(f"{r['rps']:.0f}" for r in runs)}


def throughput(build_dir: Path, nquads: Path, ttl: Path | None, entity: str, label: str) -> list[dict]:
    """16 clients for 10 s per server and query: otkg with its response cache (the default) and
    without it (every request runs the query), and `oxigraph serve` on the same file.

    All three servers are up together and measured in turns, ROUNDS times; each figure is the
    median round. This machine's speed drifts by tens of percent over minutes, and turns make a
    drift hit every server alike, so the ratios hold even when the absolute figures move.
    """
    ev = quote(evidence_sparql(entity))
    targets = []  # (server, query, url, process)
    with ExitStack() as servers:
        for cache in (False, True):
            tag = "" if cache else ", no cache"
            port = free_port()
            proc = servers.enter_context(_otkg_server(build_dir, port, cache))
            base = f"http://127.0.0.1:{port}"
            wrk(f"{base}/", seconds=3)  # warm-up: every worker past its start-up (store, search index)
            wrk(f"{base}/queries/evidence-for-entity?entity={entity}", seconds=2)
            targets += [(f"otkg /queries (named{tag})", "evidence trace",
                         f"{base}/queries/evidence-for-entity?entity={entity}", proc),
                        (f"otkg /sparql{tag}", "evidence trace", f"{base}/sparql?query={ev}", proc)]
            if ttl:
                targets.append((f"otkg /sparql{tag}", "cluster lookup", f"{base}/sparql?query={quote(LIGHT)}", proc))
        port, loc = free_port(), Path(tempfile.mkdtemp(prefix="oxigraph-bench-"))
        cmd = [shutil.which("oxigraph", path=str(BIN)) or "oxigraph", "serve", "--location", str(loc / "db"),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        proc = servers.enter_context(running(cmd, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"))
        base = f"http://127.0.0.1:{port}"
        t = time.perf_counter()
        httpx.put(f"{base}/store", content=nquads.read_bytes(), headers={"content-type": "application/n-quads"},
                  timeout=600).raise_for_status()
        oxigraph_load = round(time.perf_counter() - t, 2)
        wrk(f"{base}/query?query={ev}", seconds=3)  # warm-up, as for otkg
        targets.append(("oxigraph serve", "evidence trace", f"{base}/query?query={ev}", proc))
        if ttl:
            targets.append(("oxigraph serve", "cluster lookup", f"{base}/query?query={quote(LIGHT)}", proc))
        runs = {t: [] for t in targets}
        for _ in range(ROUNDS):
            for t in targets:
                runs[t].append(wrk(t[2]))
        rows, measured = [], set()
        for (server, query, _, proc), done in runs.items():
            row = {"graph": label, "server": server, "query": query, **_median_run(done)}
            if proc.pid not in measured:  # memory once per server process family, after the load
                measured.add(proc.pid)
                row["rss_mib"] = rss_mib(proc.pid)
                if server == "oxigraph serve":
                    row["load_s"] = oxigraph_load
            rows.append(row)
        shutil.rmtree(loc, ignore_errors=True)
    if ttl:
        port = free_port()
        cmd = [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port), str(ttl)]
        # rdflib-endpoint answers SPARQL at "/"; alone and last, as the evidence trace keeps its
        # workers busy long after wrk stops; the light query goes first for the same reason.
        with running(cmd, f"http://127.0.0.1:{port}/?query=ASK%7B%7D") as proc:
            base = f"http://127.0.0.1:{port}"
            rows.append({"graph": label, "server": "rdflib-endpoint", "query": "cluster lookup",
                         "rss_mib": rss_mib(proc.pid), **wrk(f"{base}/?query={quote(LIGHT)}")})
            rows.append({"graph": label, "server": "rdflib-endpoint", "query": "evidence trace",
                         **wrk(f"{base}/?query={ev}")})
    for r in rows:
        print(r, flush=True)
    return rows


def scale_build_dir(nquads: Path) -> Path:
    """A build folder the API can serve for a synthetic graph."""
    d = Path(tempfile.mkdtemp(prefix="otkg-scale-build-"))
    (d / "otkg.nq").symlink_to(nquads.resolve())
    digest = __import__("hashlib").sha256(nquads.read_bytes()).hexdigest()
    (d / "release.json").write_text(json.dumps({"version": "scale", "versionIRI": "urn:otkg:scale",
                                                "inputsDigest": digest}))
    return d


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    build.write(build.assemble())
    scale_dir = ROOT / "build" / "scale"
    series = scale_series(scale_dir)
    real = throughput(build.BUILD_DIR, build.BUILD_DIR / "otkg.nq", build.BUILD_DIR / "otkg.ttl", REAL_ENTITY,
                      "real (88k quads)")
    big = scale_dir / f"scale-{SIZES[-1]}.nq"
    large = throughput(scale_build_dir(big), big, None, SCALE_ENTITY, "synthetic 1M")
    from .report import write_report
    path = write_report(ROOT / "docs" / "benchmarks.md", series, real + large, _machine())
    print(f"wrote {path}")
    return 0


def _machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    wrk_v = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {"cpu": cpu, "cores": __import__("os").cpu_count(), "memory_gib": round(int(mem) / 2**20, 1),
            "python": platform.python_version(), "pyoxigraph": version("pyoxigraph"), "rdflib": version("rdflib"),
            "oxigraph (server)": version("oxigraph"), "rdflib-endpoint": version("rdflib-endpoint"),
            "fastapi": version("fastapi"), "uvicorn": version("uvicorn"), "wrk": wrk_v.strip(),
            "date": time.strftime("%Y-%m-%d")}


if __name__ == "__main__":
    sys.exit(main())
