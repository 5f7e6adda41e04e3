"""Shared fixtures: the real graph, assembled once per test session and loaded into pyoxigraph."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from otkg.kg.pipeline.build import assemble, build
from otkg.kg.store.remote_store import RemoteStore
from otkg.kg.store.seam import EmbeddedStore


@pytest.fixture(scope="session")
def assembled():
    return assemble()


@pytest.fixture(scope="session")
def build_dir(assembled, tmp_path_factory) -> Path:
    """The real graph built from the current sources into a scratch folder (build/ is left alone),
    validated as every build is (once per session: `assembled` remembers it passed)."""
    out = tmp_path_factory.mktemp("build")
    build(out, assembled)
    assert (out / "release.json").exists()
    return out


@pytest.fixture(scope="session")
def embedded_store(assembled) -> EmbeddedStore:
    """The real graph behind the store seam, as the API uses it."""
    return EmbeddedStore(assembled.store())


@pytest.fixture(scope="session")
def store(assembled) -> ox.Store:
    return assembled.store()


PREFIXES = """PREFIX otkg: <https://w3id.org/otkg/ontology#>
PREFIX id: <https://w3id.org/otkg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX cito: <http://purl.org/spar/cito/>
"""


@pytest.fixture(scope="session")
def ask(store):
    """Run a SELECT over the union of all graphs; rows as dicts of plain values (IRIs, lexical forms)."""

    def run(query: str) -> list[dict[str, str]]:
        res = store.query(PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in res]

    return run


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(cmd: list[str], query_url: str, home: Path, name: str, timeout: float = 30):
    """Run a SPARQL server from `home` until the block ends, once it answers ASK {} at query_url."""
    with open(home / "server.log", "wb") as log:
        proc = subprocess.Popen(cmd, cwd=home, stdout=log, stderr=log)
    try:  # the child keeps its own copy of the log's file descriptor
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{name} did not start: {(home / 'server.log').read_text(errors='replace')}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def oxigraph_server(assembled, tmp_path_factory):
    """A real `oxigraph serve` (PyPI `oxigraph`) on loopback, loaded with the real graph through the
    Graph Store Protocol; yields a RemoteStore on it."""
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the `oxigraph` command is missing: pip install oxigraph (it is in the test extra)")
    port, location = free_port(), tmp_path_factory.mktemp("oxigraph")
    cmd = [
        exe,
        "serve",
        "--location",
        str(location / "db"),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    base = f"http://127.0.0.1:{port}"
    with _server(cmd, base + "/query", location, "oxigraph serve"):
        remote = RemoteStore(base + "/query", base + "/store")
        remote.load_nquads(assembled.nquads().encode("utf-8"))
        yield remote


@pytest.fixture(scope="session")
def virtuoso_server(assembled, tmp_path_factory):
    """Virtuoso Open Source (Debian `virtuoso-opensource`) on loopback, loaded through its Graph Store
    Protocol endpoint; yields a RemoteStore on it. Tests using it carry the `virtuoso` marker and
    are skipped only when Virtuoso is not installed."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    home, port, http_port = tmp_path_factory.mktemp("virtuoso"), free_port(), free_port()
    ini = Path("/etc/virtuoso-opensource-7/virtuoso.ini").read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", f"{home}/")
    ini = re.sub(r"(\[Parameters\][^\[]*?ServerPort\s*=\s*)\d+", rf"\g<1>{port}", ini, flags=re.S)
    ini = re.sub(
        r"(\[HTTPServer\][^\[]*?ServerPort\s*=\s*)\d+", rf"\g<1>127.0.0.1:{http_port}", ini, flags=re.S
    )
    (home / "virtuoso.ini").write_text(ini)
    cmd = [exe, "+foreground", "+configfile", str(home / "virtuoso.ini")]
    base = f"http://127.0.0.1:{http_port}"
    with _server(cmd, base + "/sparql", home, "virtuoso", timeout=60):
        # dba/dba is the password of a fresh Virtuoso database; this one lives in a scratch folder.
        remote = RemoteStore(base + "/sparql", base + "/sparql-graph-crud-auth", user="dba", password="dba")
        remote.load_nquads(assembled.nquads().encode("utf-8"))
        yield remote
