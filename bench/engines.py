"""The servers under comparison, each started on loopback with its graph loaded: otkg (its default
disk store, response cache on or off) and `oxigraph serve` in memory and on disk.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from .servers import BIN, free_port, otkg_command, running

OXIGRAPH = shutil.which("oxigraph", path=str(BIN)) or "oxigraph"


@contextmanager
def otkg(build_dir: Path, store_dir: Path, cache: bool):
    """`otkg serve` as it runs by default (one API process, disk store); yields
    (base URL, process, seconds from launch to the first answer, which includes loading the
    release into an empty store_dir)."""
    port = free_port()
    cmd = otkg_command(port, 1)
    env = {
        "OTKG_BUILD_DIR": str(build_dir),
        "OTKG_STORE_DIR": str(store_dir),
        "OTKG_STORE": "disk",
        "OTKG_RESPONSE_CACHE_MB": "64" if cache else "0",
    }
    t = time.perf_counter()
    with running(cmd, f"http://127.0.0.1:{port}/", env, timeout=900) as proc:
        yield f"http://127.0.0.1:{port}", proc, round(time.perf_counter() - t, 2)


@contextmanager
def oxigraph_memory(nquads: Path):
    """`oxigraph serve` with no --location (an in-memory store). `oxigraph load` writes only to a
    location, so this one is loaded the standard way, by the Graph Store Protocol (PUT /store);
    yields (base URL, process, seconds of that PUT)."""
    port = free_port()
    cmd = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    base = f"http://127.0.0.1:{port}"
    with running(cmd, f"{base}/query?query=ASK%7B%7D") as proc:
        t = time.perf_counter()
        with nquads.open("rb") as body:
            httpx.put(
                f"{base}/store", content=body, headers={"content-type": "application/n-quads"}, timeout=1800
            ).raise_for_status()
        yield base, proc, round(time.perf_counter() - t, 2)


@contextmanager
def oxigraph_disk(nquads: Path):
    """`oxigraph load` into a fresh location (timed), then `oxigraph serve --location` on it."""
    loc = Path(tempfile.mkdtemp(prefix="oxigraph-bench-")) / "db"
    try:
        t = time.perf_counter()
        subprocess.run(
            [OXIGRAPH, "load", "--location", str(loc), "--file", str(nquads)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=1800,
        )
        load_s = round(time.perf_counter() - t, 2)
        port = free_port()
        cmd = [
            OXIGRAPH,
            "serve",
            "--location",
            str(loc),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ]
        base = f"http://127.0.0.1:{port}"
        with running(cmd, f"{base}/query?query=ASK%7B%7D") as proc:
            yield base, proc, load_s
    finally:
        shutil.rmtree(loc.parent, ignore_errors=True)
