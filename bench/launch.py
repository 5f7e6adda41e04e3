"""Issue 22, item 7 (lean): `otkg serve` (the console script, all its processes) on the real graph
against `oxigraph serve` in memory on the same N-Quads. Per round: CPU-seconds summed over each
server's processes from launch to its first answer (the one-row lookup), wall seconds too, and PSS
once both have answered the same warm-up queries. otkg is launched twice a round: on an empty store
folder (the first serve after a build, which loads the release) and again on the folder it loaded.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
from otkg.kg.pipeline import build as build
from otkg.kg.pipeline.release import FILES

from .engines import OXIGRAPH
from .graphs import LOOKUP, REAL_ENTITY, named_as_sparql
from .servers import BIN, _stop, free_port, pss_mib, tree
from .stats import paired_ratios, rotated, spread

TICK = os.sysconf("SC_CLK_TCK")
EMPTY, LOADED, OXI = (
    "otkg serve, empty store folder",
    "otkg serve, loaded store folder",
    "oxigraph serve, in memory",
)


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process tree, including the children its members have reaped (a
    build check or a worker that already ended), in seconds."""
    ticks = 0
    for p in tree(pid):
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(x) for x in f[11:15])  # utime, stime, cutime, cstime (proc(5) 14-17)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return ticks / TICK


def _first_answer(url: str, proc: subprocess.Popen, timeout: float, headers: dict | None = None) -> None:
    """Poll url every 50 ms until it answers 200 (a refused connection costs the server nothing)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, headers=headers, timeout=30).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"no answer from {url}")
        time.sleep(0.05)


_OWN: list[Path] = []  # the bench's own build folder, made at the first call of current_build


def current_build() -> Path:
    """A build folder of the bench's own, current for the inputs: copied from build/ when that is
    current, else built. Others rebuilding build/ meanwhile leave it alone, and, checked before each
    launch, `otkg serve` never rebuilds inside a timed launch (inputs changed mid-run are rebuilt
    here, untimed)."""
    if not _OWN:
        _OWN.append(Path(tempfile.mkdtemp(prefix="otkg-bench-build-")))
        atexit.register(shutil.rmtree, _OWN[0], True)
    out = _OWN[0]
    if not build.is_current(out):
        if build.is_current():
            for name in FILES:  # release.json last, as the build writes them
                shutil.copyfile(build.BUILD_DIR / name, out / name)
        else:
            build.build(out)
    return out


def otkg_env(store_dir: Path, **settings: str) -> dict:
    """The environment of `otkg serve` on the real graph's current build with its own store folder."""
    env = {"OTKG_BUILD_DIR": str(current_build()), "OTKG_STORE_DIR": str(store_dir)}
    return {**os.environ, **env, **{f"OTKG_{k.upper()}": v for k, v in settings.items()}}


@contextmanager
def otkg_serve(store_dir: Path, **settings: str):
    """`otkg serve` as a user runs it (loopback, a free port), until the block ends; yields (base
    URL, process, wall seconds and CPU-seconds from launch to the first answer of the lookup)."""
    port, env = free_port(), otkg_env(store_dir, **settings)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(BIN / "otkg"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        try:
            try:
                _first_answer(f"{base}/sparql?query={quote(LOOKUP)}", proc, 600)
            except RuntimeError as exc:
                log.seek(0)
                said = log.read()[-2000:].decode(errors="replace")
                raise RuntimeError(f"{exc}; otkg serve said: {said}") from None
            yield base, proc, time.perf_counter() - t0, cpu_seconds(proc.pid)
        finally:
            _stop(proc)


@contextmanager
def oxigraph_serve(nquads: Path):
    """`oxigraph serve` in memory, loaded by PUT /store (it has no load command for a store in
    memory); yields what otkg_serve yields, the load counted in both figures."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _first_answer(f"{base}/query?query=ASK%7B%7D", proc, 60)
        with nquads.open("rb") as body:
            httpx.put(
                f"{base}/store", content=body, headers={"content-type": "application/n-quads"}, timeout=600
            ).raise_for_status()
        _first_answer(f"{base}/query?query={quote(LOOKUP)}", proc, 60)
        yield base, proc, time.perf_counter() - t0, cpu_seconds(proc.pid)
    finally:
        _stop(proc)


def _warm(base: str, path: str, times: int = 10) -> None:
    """The same SPARQL on either server: the lookup and the evidence trace, `times` each."""
    trace = named_as_sparql("evidence-for-entity", {"entity": ox.NamedNode(REAL_ENTITY)})
    for q in (LOOKUP, trace):
        for _ in range(times):
            httpx.get(
                base + path,
                params={"query": q},
                headers={"accept": "application/sparql-results+json"},
                timeout=60,
            )


def _one(kind: str, store_dir: Path) -> dict:
    if kind == OXI:
        cm, path = oxigraph_serve(current_build() / "otkg.nq"), "/query"
    else:
        cm, path = otkg_serve(store_dir), "/sparql"
    with cm as (base, proc, wall, cpu):
        _warm(base, path)
        pss, n = pss_mib(proc.pid)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "pss_mib": pss, "processes": n}


def measure(rounds: int, log=print) -> dict:
    """`rounds` rounds; the order of the three launches rotates, except that the loaded-folder
    launch always follows the empty-folder one, which loads its folder."""
    runs: dict[str, list[dict]] = {EMPTY: [], LOADED: [], OXI: []}
    for r in range(rounds):
        store_dir = Path(tempfile.mkdtemp(prefix="otkg-bench-launch-"))
        try:
            for unit in rotated([[EMPTY, LOADED], [OXI]], r):
                for kind in unit:
                    runs[kind].append(_one(kind, store_dir))
                    log(f"round {r + 1}/{rounds} {kind}: {runs[kind][-1]}", flush=True)
        finally:
            shutil.rmtree(store_dir, ignore_errors=True)
    ratio = {
        f"{k} / {OXI}": {
            f: spread(paired_ratios([x[f] for x in runs[k]], [x[f] for x in runs[OXI]]))
            for f in ("cpu_s", "pss_mib")
        }
        for k in (EMPTY, LOADED)
    }
    return {"runs": runs, "ratios": ratio, "rounds": rounds}
