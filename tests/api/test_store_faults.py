"""Writes the file system stops, through the app on a writable disk store (issue 22): a full disk
answers 507 problem+json naming the cause, other faults 500 naming theirs; the store, the answers
served, their ETags and the response cache stay as they were, and the next write succeeds."""

from __future__ import annotations

import errno
import functools
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.settings import Settings
from otkg.kg.pipeline.sheet_import import import_sheet
from otkg.kg.store import seam
from otkg.kg.store.seam import EmbeddedStore
from otkg.kg.terms import load_ontology

from tests.sheet_files import FIXTURE_XLSX, TRUST, XLSX
from tests.tmpfs import resize, small_tmpfs, used_kb

TOKEN = "fault-curator-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
LOCAL = "https://w3id.org/otkg/graph/local/"
GRAPHS = (
    f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{LOCAL}")) }} '
    "GROUP BY ?g ORDER BY ?g"
)


def _app(build_dir: Path, store_dir: Path):
    settings = Settings(
        build_dir=build_dir,
        store="disk",
        store_dir=store_dir,
        write_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
        query_workers=1,
    )
    return TestClient(create_app(settings=settings), follow_redirects=False)


@pytest.fixture(scope="module")
def served(build_dir, tmp_path_factory):
    store_dir = tmp_path_factory.mktemp("fault-store")
    with _app(build_dir, store_dir) as client:
        yield client, store_dir


@pytest.fixture(scope="module")
def package(assembled):
    """The fixture sheet's package as N-Triples for a slug: a small RDF upload that passes every check."""
    return functools.cache(lambda slug: _package(assembled, slug))


def _package(assembled, slug: str) -> bytes:
    done = import_sheet(
        FIXTURE_XLSX.read_bytes(),
        XLSX,
        FIXTURE_XLSX.name,
        TRUST,
        "2",
        EmbeddedStore(assembled.store()),
        load_ontology(),
        slug=slug,
    )
    return ox.serialize(done.triples, format=ox.RdfFormat.N_TRIPLES)


def _rdf(client: TestClient, slug: str, body: bytes):
    return client.put(
        f"/graph/local/{slug}", content=body, headers={**AUTH, "content-type": "application/n-triples"}
    )


def _sheet(client: TestClient, slug: str):
    return client.put(
        f"/graph/local/{slug}",
        content=FIXTURE_XLSX.read_bytes(),
        params={"trust": TRUST, "cluster": "2"},
        headers={**AUTH, "content-type": XLSX},
    )


def _tree(root: Path) -> dict[str, list[str]]:
    return {
        str(d.relative_to(root)): sorted(p.name for p in d.iterdir())
        for d in [root, *(p for p in root.rglob("*") if p.is_dir())]
    }


def _served(client: TestClient):
    """The local graphs as served, twice: the second answer comes from the response cache."""
    first = client.get("/sparql", params={"query": GRAPHS}, headers={"accept": "text/csv"})
    again = client.get("/sparql", params={"query": GRAPHS}, headers={"accept": "text/csv"})
    assert first.status_code == again.status_code == 200 and again.headers["x-otkg-cache"] == "hit"
    return first.text, first.headers["etag"]


def _full_disk(monkeypatch, exc: OSError) -> None:
    """The store's dump, the commit's last and largest write, runs out of room half-way."""

    def write(st, folder: Path) -> None:
        (folder / seam.DUMP).write_bytes(b"<https://w3id.org/otkg/id/x> ")
        raise exc

    monkeypatch.setattr(seam, "_write_dump", write)


def _unchanged(client: TestClient, store_dir: Path, before: tuple, tree: dict) -> None:
    text, etag = before
    after = client.get("/sparql", params={"query": GRAPHS}, headers={"accept": "text/csv"})
    assert after.headers["x-otkg-cache"] == "hit"  # a failed write empties no cache
    assert (after.text, after.headers["etag"]) == (text, etag)
    revalidated = client.get(
        "/sparql", params={"query": GRAPHS}, headers={"accept": "text/csv", "if-none-match": etag}
    )
    assert revalidated.status_code == 304
    assert _tree(store_dir) == tree  # no half-made generation left to waste space or be picked up


@pytest.mark.parametrize("kind", ["rdf", "sheet"])
def test_a_full_disk_during_a_write_is_507_and_changes_nothing(served, package, monkeypatch, kind):
    client, store_dir = served
    slug = f"full-{kind}"
    before, tree = _served(client), _tree(store_dir)
    _full_disk(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    r = _rdf(client, slug, package(slug)) if kind == "rdf" else _sheet(client, slug)
    assert r.status_code == 507 and r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert (problem["title"], problem["status"], problem["cause"]) == ("Insufficient storage", 507, "ENOSPC")
    assert problem["detail"].startswith("no space left on the device holding the store; nothing was written")
    assert str(store_dir) not in r.text and r.headers["cache-control"] == "no-store"
    _unchanged(client, store_dir, before, tree)
    monkeypatch.undo()  # space freed: the same write now succeeds and is served
    r = _rdf(client, slug, package(slug)) if kind == "rdf" else _sheet(client, slug)
    assert r.status_code == 201, r.text
    text, etag = _served(client)
    assert LOCAL + slug in text and etag != before[1]


ROCKSDB_FULL = OSError("IO error: No space left on device: While appending to file: /s/9.log")
FAULTS = [
    ("quota", OSError(errno.EDQUOT, "Disk quota exceeded"), 507, "Insufficient storage", "EDQUOT"),
    ("RocksDB, full", ROCKSDB_FULL, 507, "Insufficient storage", "ENOSPC"),
    ("read-only", OSError(errno.EROFS, "Read-only file system"), 500, "Store not writable", "EROFS"),
    ("permission", OSError(errno.EACCES, "Permission denied"), 500, "Store not writable", "EACCES"),
    ("I/O", OSError(errno.EIO, "Input/output error"), 500, "Store not writable", "EIO"),
]


@pytest.mark.parametrize(
    ("exc", "status", "title", "code"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS]
)
def test_every_file_system_fault_names_its_cause(served, package, monkeypatch, exc, status, title, code):
    client, store_dir = served
    before, tree = _served(client), _tree(store_dir)
    _full_disk(monkeypatch, exc)
    r = _rdf(client, "fault", package("fault"))
    assert (r.status_code, r.json()["title"], r.json()["cause"]) == (status, title, code), r.text
    assert "nothing was written" in r.json()["detail"] and "/s/" not in r.text
    _unchanged(client, store_dir, before, tree)


def test_a_removal_on_a_full_disk_keeps_the_graph(served, package, monkeypatch):
    client, store_dir = served
    assert _rdf(client, "kept", package("kept")).status_code == 201
    before, tree = _served(client), _tree(store_dir)
    _full_disk(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    r = client.delete("/graph/local/kept", headers=AUTH)
    assert r.status_code == 507 and r.json()["title"] == "Insufficient storage"
    _unchanged(client, store_dir, before, tree)


def test_the_openapi_description_lists_the_storage_faults_of_writes(served):
    ops = served[0].get("/openapi.json").json()["paths"]["/graph/local/{slug}"]
    assert {"500", "507"} <= set(ops["put"]["responses"]) and {"500", "507"} <= set(
        ops["delete"]["responses"]
    )


def test_a_real_full_disk(build_dir, tmp_path):
    """The store on a small tmpfs that an upload fills (skipped where mounting is not allowed)."""
    with small_tmpfs(tmp_path / "disk", 256 * 1024) as disk, _app(build_dir, disk / "store") as client:
        before, tree = _served(client), _tree(disk / "store")
        resize(disk, used_kb(disk) + 2048)  # the new generation's dump alone is larger
        r = _sheet(client, "real-full")
        assert r.status_code == 507, r.text
        assert r.json()["cause"] == "ENOSPC" and "nothing was written" in r.json()["detail"]
        _unchanged(client, disk / "store", before, tree)
        resize(disk, 256 * 1024)
        assert _sheet(client, "real-full").status_code == 201
        assert LOCAL + "real-full" in _served(client)[0]
