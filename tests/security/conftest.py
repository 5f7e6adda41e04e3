"""Security fixtures: the app over the real graph on disk with a test-only query of every parameter
type, a content hash of that store, a canary listener on loopback, and the live server."""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.settings import Settings
from otkg.kg.query.query_catalog import QUERIES_DIR, load_catalog

from tests.api.conftest import live_server  # noqa: F401 - the real uvicorn process, for the canary tests

DATA = Path(__file__).parent / "data"


def store_digest(folder: Path) -> str:
    """SHA-256 of the sorted N-Quads of the store in `folder`, opened afresh (read-only)."""
    dump = ox.Store.read_only(str(folder)).dump(format=ox.RdfFormat.N_QUADS)
    return hashlib.sha256(b"\n".join(sorted(dump.splitlines()))).hexdigest()


class SecurityApp:
    """The app under test, its client, its catalogue and the folder of the store it serves."""

    def __init__(self, client: TestClient, store_dir: Path):
        self.client, self.store_dir = client, store_dir
        self.catalog = client.app.state.services.catalog

    @property
    def store_folder(self) -> Path:
        return self.store_dir / (self.store_dir / "current").read_text(encoding="utf-8").strip()

    def digest(self) -> str:
        return store_digest(self.store_folder)


@pytest.fixture(scope="session")
def security_app(build_dir, tmp_path_factory) -> SecurityApp:
    """The real graph in an on-disk store (as served by default), behind the real catalogue plus
    tests/security/data/*.rq, through an in-process client."""
    base = tmp_path_factory.mktemp("security")
    queries = base / "queries"
    shutil.copytree(QUERIES_DIR, queries)
    for extra in DATA.glob("*.rq"):
        shutil.copy(extra, queries / extra.name)
    load_catalog(queries)  # a malformed test query fails here, by name
    settings = Settings(build_dir=build_dir, store="disk", store_dir=base / "store", queries_dir=queries)
    with TestClient(create_app(settings=settings), follow_redirects=False) as client:
        yield SecurityApp(client, base / "store")


class Canary:
    """A TCP listener on 127.0.0.1 that counts every connection made to it and keeps its first bytes."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.seen: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="canary", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                try:
                    self.seen.append(conn.recv(200) or b"(connected, sent nothing)")
                except OSError:
                    self.seen.append(b"(connected, sent nothing)")

    @property
    def connections(self) -> int:
        return len(self.seen)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def canary():
    """A canary listener, proven to count: one connection is made to it and then forgotten."""
    bird = Canary()
    try:
        with socket.create_connection(("127.0.0.1", bird.port), timeout=5) as probe:
            probe.sendall(b"self-test")
        deadline = time.monotonic() + 5
        while bird.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert bird.seen == [b"self-test"], "the canary does not count connections"
        bird.seen.clear()
        yield bird
    finally:
        bird.close()
