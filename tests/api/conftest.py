"""API fixtures: the W3C protocol test data behind the app, the real graph in process, a live server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from otkg.api.deps import Release, Services
from otkg.api.main import create_app
from otkg.api.settings import ROOT, Settings
from otkg.kg.query.search import SearchIndex
from otkg.kg.store.seam import EmbeddedStore

from tests.conftest import free_port

UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


def w3c_protocol_dir() -> Path:
    """The W3C SPARQL 1.1 Protocol test folder: $OTKG_W3C_DIR, else the copy vendored in
    tests/data/w3c (see its README), so that a fresh clone needs nothing beside it."""
    base = Path(os.environ.get("OTKG_W3C_DIR") or ROOT / "tests" / "data" / "w3c")
    return base / "sparql11-protocol"


def require_w3c_manifest() -> Path:
    manifest = w3c_protocol_dir() / "manifest.ttl"
    if not manifest.is_file():
        pytest.fail(
            f"W3C SPARQL 1.1 Protocol tests not found at {manifest}: the copy in tests/data/w3c "
            "is missing, or OTKG_W3C_DIR names a folder without sparql11-protocol/",
            pytrace=False,
        )
    return manifest


def w3c_graph_data(manifest: Path) -> dict[str, Path]:
    """Graph IRI -> data file, from every test's ut:graphData [ ut:graph <file> ; rdfs:label "IRI" ]."""
    g = rdflib.Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    graphs = {}
    for node in g.objects(None, UT.graphData):
        iri, file = g.value(node, rdflib.RDFS.label), g.value(node, UT.graph)
        graphs[str(iri)] = manifest.parent / PurePosixPath(urlparse(str(file)).path).name
    return graphs


@pytest.fixture(scope="session")
def w3c_client():
    """The app over a store holding only the W3C protocol test graphs (data1-3.rdf as named graphs).

    data0.rdf, which several tests name as default graph, is left absent: otkg never fetches a graph
    IRI, so it is an empty graph, and those tests only ask `ASK {}` or query nothing from it.
    """
    manifest = require_w3c_manifest()
    store = ox.Store()
    for iri, path in w3c_graph_data(manifest).items():
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    emb = EmbeddedStore(store)
    services = Services(
        emb,
        {},
        Release("w3c", "urn:otkg:w3c-protocol-tests", "0" * 64, "test"),
        SearchIndex.from_store(emb),
        {},
    )
    with TestClient(
        create_app(services=services), base_url="http://www.example", follow_redirects=False
    ) as client:
        yield client


@pytest.fixture(scope="session")
def client(build_dir):
    """In-process client of the app over the real graph, held in memory."""
    app = create_app(settings=Settings(build_dir=build_dir, store="memory"))
    with TestClient(app, follow_redirects=False) as c:
        yield c


@contextmanager
def server_process(command: list[str], log: Path, **settings: object):
    """A server process (`command`, given --host and --port) on a free loopback port with these
    OTKG_ settings, its stderr in `log`; yields its port once it answers GET /."""
    port = free_port()
    env = {
        **os.environ,
        "OTKG_STORE": "memory",
        "OTKG_BUILD_COMMIT": "test",
        **{f"OTKG_{k.upper()}": str(v) for k, v in settings.items()},
    }
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"the server exited with {proc.returncode} before answering:\n"
                    f"{log.read_text(errors='replace')}",
                    pytrace=False,
                )
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the server did not answer GET / on {url} within 60 s:\n{log.read_text(errors='replace')}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def uvicorn_server(build_dir: Path, log_dir: Path, **env: str):
    """A real uvicorn process serving the real graph on a free loopback port, with extra OTKG_
    settings; yields its base URL."""
    command = [sys.executable, "-m", "uvicorn", "otkg.api.main:create_app", "--factory"]
    with server_process(command, log_dir / "stderr.log", build_dir=build_dir, **env) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def live_server(build_dir, tmp_path_factory):
    """The app in a real uvicorn process; yields its base URL. Every test shares its one client
    address, so the per-client budget is made large here (test_limits.py tests the budget)."""
    with uvicorn_server(build_dir, tmp_path_factory.mktemp("uvicorn"), client_budget_s=100000) as url:
        yield url
