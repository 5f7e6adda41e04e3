"""Graph Store Protocol reads of a Trust's graph (api/routers/graph_reads.py), and search after writes,
through two real API processes over one writable disk store: what one process stores, the other
serves at once, in every graph format, and its search finds it; after a DELETE neither does."""

from __future__ import annotations

import hashlib

import httpx
import pyoxigraph as ox
import pytest
from otkg.api.negotiation import GRAPH_FORMATS
from otkg.kg.store.seam import ReleaseStore

from tests.sheet_files import CSV, FIXTURE_CSV, TRUST

from .conftest import uvicorn_server

TOKEN = "graph-reads-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
LOCAL = "https://w3id.org/otkg/graph/local/"
DATASET_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


@pytest.fixture(scope="module")
def servers(build_dir, tmp_path_factory):
    """Two API processes (uvicorn) over one disk store, as `otkg serve` runs several: (url, url, store)."""
    store = tmp_path_factory.mktemp("graph-reads-store")
    settings = {
        "store": "disk",
        "store_dir": store,
        "write_token_sha256": hashlib.sha256(TOKEN.encode()).hexdigest(),
        "client_budget_s": 100000,
    }
    with (
        uvicorn_server(build_dir, tmp_path_factory.mktemp("graph-reads-a"), **settings) as a,
        uvicorn_server(build_dir, tmp_path_factory.mktemp("graph-reads-b"), **settings) as b,
    ):
        yield a, b, store


@pytest.fixture(scope="module")
def round_trip(servers) -> str:
    """The fixture sheet stored by the first process as graph local/round-trip; its slug."""
    if not stored(servers[2], "round-trip"):
        assert put_sheet(servers[0], "round-trip", FIXTURE_CSV.read_bytes()).status_code == 201
    return "round-trip"


def put_sheet(url: str, slug: str, body: bytes) -> httpx.Response:
    return httpx.put(
        f"{url}/graph/local/{slug}",
        content=body,
        params={"trust": TRUST, "cluster": "2"},
        headers={**AUTH, "content-type": CSV},
        timeout=120,
    )


def stored(store_dir, slug: str) -> set[ox.Quad]:
    """The quads of the graph as the store holds them, read from disk apart from any server."""
    store = ReleaseStore(store_dir)
    return set(store.store.quads_for_pattern(None, None, None, ox.NamedNode(LOCAL + slug)))


def parsed(body: bytes, fmt: ox.RdfFormat, graph: str) -> set[ox.Quad]:
    """An answer's quads; a triple format's triples placed in `graph` for the comparison."""
    quads = list(ox.parse(body, format=fmt))
    if fmt in DATASET_FORMATS:
        return set(quads)
    assert all(q.graph_name == ox.DefaultGraph() for q in quads)
    return {ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)) for q in quads}


def search(url: str, q: str) -> list[str]:
    r = httpx.get(url + "/search", params={"q": q}, headers={"accept": "application/json"}, timeout=30)
    assert r.status_code == 200, r.text
    return [h["entity"] for h in r.json()["hits"]]


@pytest.mark.parametrize("f", GRAPH_FORMATS, ids=[f.name for f in GRAPH_FORMATS])
def test_a_stored_graph_reads_back_exactly_in_every_format(servers, round_trip, f):
    _, b, store = servers
    expected = stored(store, round_trip)
    assert len(expected) > 1000
    for how in ({"params": {"format": f.name}}, {"headers": {"accept": f.content_type}}):
        r = httpx.get(b + "/graph/local/" + round_trip, timeout=30, **how)  # the other process
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].removesuffix("; charset=utf-8") == f.content_type
        assert r.headers["x-otkg-triples"] == str(len(expected))
        assert parsed(r.content, f.rdf, LOCAL + round_trip) == expected


def test_n_quads_and_trig_keep_the_graph_name(servers, round_trip):
    a = servers[0]
    for name, fmt in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        body = httpx.get(a + "/graph/local/" + round_trip, params={"format": name}).content
        assert {q.graph_name for q in ox.parse(body, format=fmt)} == {ox.NamedNode(LOCAL + round_trip)}


def test_what_is_read_can_be_put_back_unchanged(servers, round_trip):
    _, b, store = servers
    before = stored(store, round_trip)
    turtle = httpx.get(b + "/graph/local/" + round_trip, headers={"accept": "text/turtle"}).content
    r = httpx.put(
        b + "/graph/local/" + round_trip,
        content=turtle,
        headers={**AUTH, "content-type": "text/turtle"},
        timeout=120,
    )
    assert r.status_code == 204, r.text
    assert stored(store, round_trip) == before


def test_head_answers_get_s_headers_without_a_body_and_etags_follow_writes(servers):
    a, b, _ = servers
    assert put_sheet(a, "etag-trust", FIXTURE_CSV.read_bytes()).status_code == 201
    url = b + "/graph/local/etag-trust"
    got = httpx.get(url, headers={"accept": "application/n-triples"})
    head = httpx.head(url, headers={"accept": "application/n-triples"})
    assert got.status_code == head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "etag", "cache-control", "x-otkg-triples"):
        assert head.headers[name] == got.headers[name], name
    assert got.headers["cache-control"] == "public, max-age=300"
    etag = got.headers["etag"]
    assert (
        httpx.get(url, headers={"accept": "application/n-triples", "if-none-match": etag}).status_code == 304
    )
    assert put_sheet(a, "etag-trust", FIXTURE_CSV.read_bytes()).status_code == 204  # a new generation
    again = httpx.get(url, headers={"accept": "application/n-triples", "if-none-match": etag})
    assert again.status_code == 200 and again.headers["etag"] != etag
    assert again.content == got.content  # the same graph: only the generation changed


def test_unknown_removed_and_badly_named_graphs_answer_problems(servers):
    a, b, _ = servers
    for method in (httpx.get, httpx.head):
        r = method(b + "/graph/local/no-such-trust")
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
        assert r.headers["cache-control"] == "no-store"
    assert httpx.get(b + "/graph/local/no-such-trust").json()["detail"] == (
        f"no graph <{LOCAL}no-such-trust> in the store"
    )
    r = httpx.get(b + "/graph/local/Trust_A")
    assert r.status_code == 400 and r.json()["title"] == "Bad graph name"
    assert put_sheet(a, "gone-trust", FIXTURE_CSV.read_bytes()).status_code == 201
    assert httpx.get(b + "/graph/local/gone-trust").status_code == 200
    assert httpx.delete(a + "/graph/local/gone-trust", headers=AUTH).status_code == 204
    assert httpx.get(b + "/graph/local/gone-trust").status_code == 404
    assert httpx.get(a + "/graph/local/gone-trust").status_code == 404


def test_a_graph_in_no_graph_format_is_not_acceptable(servers, round_trip):
    a = servers[0]
    r = httpx.get(a + "/graph/local/" + round_trip, headers={"accept": "text/csv"})
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"


def test_search_finds_what_either_process_stores_until_it_is_deleted(servers):
    a, b, _ = servers
    sheet = FIXTURE_CSV.read_bytes().replace(b"sets weekly activity goals", b"sets weekly quokka goals")
    assert sheet != FIXTURE_CSV.read_bytes()
    assert search(a, "quokka") == [] == search(b, "quokka")
    assert put_sheet(a, "quokka-trust", sheet).status_code == 201
    found = search(a, "quokka")  # the process that stored it
    assert found and all(e.startswith("https://w3id.org/otkg/id/local/quokka-trust/") for e in found)
    assert search(b, "quokka") == found  # the other process, at once
    assert httpx.delete(b + "/graph/local/quokka-trust", headers=AUTH).status_code == 204
    assert search(a, "quokka") == [] == search(b, "quokka")
    assert put_sheet(b, "quokka-trust", sheet).status_code == 201  # stored again (as a restore would)
    assert search(a, "quokka") == found == search(b, "quokka")
    assert httpx.delete(a + "/graph/local/quokka-trust", headers=AUTH).status_code == 204
    assert search(b, "quokka") == [] == search(a, "quokka")
