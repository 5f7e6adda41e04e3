"""/.well-known/void (the release's VoID) and the service description at /sparql, which names every
named graph of the live store with its triples and links the VoID; in every graph format offered."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.negotiation import GRAPH_FORMATS
from otkg.api.settings import Settings
from otkg.kg.pipeline.scale import trust_upload
from rdflib.compare import isomorphic

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
DATASET = ox.NamedNode("https://w3id.org/otkg/dataset")
RIGHTS = ox.NamedNode("http://purl.org/dc/terms/rights")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
TOKEN = "void-test-token"


def parse(resp, fmt: ox.RdfFormat) -> ox.Store:
    st = ox.Store()
    st.load(resp.content, format=fmt)
    return st


def objects(st: ox.Store, s, p: str) -> list:
    return [q.object for q in st.quads_for_pattern(s, ox.NamedNode(p), None)]


def store_counts(client) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = client.get("/sparql", params={"query": q}).json()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def described_graphs(st: ox.Store) -> tuple[int, dict[str, int]]:
    """The default graph's triples and each named graph's, as a service description states them."""
    [dataset] = [q.subject for q in st.quads_for_pattern(None, ox.NamedNode(SD + "defaultGraph"), None)]
    [default] = objects(st, dataset, SD + "defaultGraph")
    named = {}
    for ng in objects(st, dataset, SD + "namedGraph"):
        [name], [graph] = objects(st, ng, SD + "name"), objects(st, ng, SD + "graph")
        named[name.value] = int(objects(st, graph, VOID + "triples")[0].value)
    return int(objects(st, default, VOID + "triples")[0].value), named


# --- the VoID ------------------------------------------------------------------------------------


def test_void_is_turtle_by_default_and_names_every_graph_of_the_store(client):
    resp = client.get("/.well-known/void")
    assert resp.status_code == 200 and resp.headers["content-type"] == "text/turtle; charset=utf-8"
    st = parse(resp, ox.RdfFormat.TURTLE)
    subsets = {
        s.value: int(objects(st, s, VOID + "triples")[0].value) for s in objects(st, DATASET, VOID + "subset")
    }
    assert len(subsets) == 14 and subsets == store_counts(client)
    assert objects(st, DATASET, VOID + "sparqlEndpoint") == [ox.NamedNode("http://testserver/sparql")]
    with_rights = sorted(
        {
            q.subject.value.rsplit("/", 1)[1]
            for q in st.quads_for_pattern(None, RIGHTS, None)
            if q.subject != DATASET
        }
    )
    external = [
        "external-care-map",
        "external-cluster-2-package",
        "external-clusters",
        "external-moho-tools",
        "external-organisations",
        "external-skill-levels",
    ]
    assert with_rights == ["care-map", "doc-000", "doc-001", "doc-002", "doc-003", "doc-004", *external]


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_void_in_every_graph_format_holds_the_same_triples(client, fmt):
    turtle = set(parse(client.get("/.well-known/void"), ox.RdfFormat.TURTLE))
    for resp in (
        client.get("/.well-known/void", params={"format": fmt.name}),
        client.get("/.well-known/void", headers={"accept": fmt.media_type}),
    ):
        assert resp.status_code == 200 and resp.headers["content-type"].split(";")[0] == fmt.media_type
        assert set(parse(resp, fmt.rdf)) == turtle


def test_void_for_a_browser_is_its_turtle_as_plain_text(client):
    resp = client.get("/.well-known/void", headers={"accept": BROWSER})
    assert resp.status_code == 200 and resp.headers["content-type"] == "text/plain; charset=utf-8"
    assert resp.content == client.get("/.well-known/void").content


def test_void_has_head_etag_and_cache_control_like_other_reads(client):
    get, head = client.get("/.well-known/void"), client.head("/.well-known/void")
    assert head.status_code == 200 and head.content == b""
    for name in ("etag", "cache-control", "content-length", "content-type", "x-otkg-release"):
        assert head.headers[name] == get.headers[name]
    assert get.headers["cache-control"] == "public, max-age=300"
    again = client.get("/.well-known/void", headers={"if-none-match": get.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_void_in_an_unknown_format_is_406_naming_the_offer(client):
    resp = client.get("/.well-known/void", params={"format": "yaml"})
    assert resp.status_code == 406 and resp.headers["content-type"] == "application/problem+json"
    assert "format 'yaml' is not one of: turtle, ntriples" in resp.json()["detail"]


# --- the service description -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_service_description_names_every_graph_with_its_triples(client, fmt):
    resp = client.get("/sparql", params={"format": fmt.name})
    assert resp.status_code == 200 and resp.headers["content-type"].split(";")[0] == fmt.media_type
    st = parse(resp, fmt.rdf)
    default, named = described_graphs(st)
    assert len(named) == 14 and named == store_counts(client)
    void = parse(client.get("/.well-known/void"), ox.RdfFormat.TURTLE)
    assert default == int(objects(void, DATASET, VOID + "triples")[0].value) < sum(named.values())
    [dataset] = [q.subject for q in st.quads_for_pattern(None, ox.NamedNode(SD + "defaultGraph"), None)]
    assert objects(st, dataset, "http://www.w3.org/2000/01/rdf-schema#seeAlso") == [
        ox.NamedNode("http://testserver/.well-known/void")
    ]


def test_service_description_shows_an_uploaded_graph_until_it_is_removed(build_dir, tmp_path):
    settings = Settings(
        build_dir=build_dir,
        store="disk",
        store_dir=tmp_path / "store",
        query_workers=1,
        write_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
    )
    graph, auth = "https://w3id.org/otkg/graph/local/trust-void", {"authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(settings=settings)) as client:
        before = described_graphs(
            parse(client.get("/sparql", params={"format": "turtle"}), ox.RdfFormat.TURTLE)
        )
        put = client.put(
            "/graph/local/trust-void",
            content=trust_upload(1, "trust-void"),
            headers={**auth, "content-type": "application/n-triples"},
        )
        assert put.status_code == 201, put.text
        default, named = described_graphs(
            parse(client.get("/sparql", params={"format": "turtle"}), ox.RdfFormat.TURTLE)
        )
        # the write is recorded too: 13 triples of the audit graph (the activity, its credential, the version)
        audit, triples = "https://w3id.org/otkg/graph/audit", int(put.headers["x-otkg-triples"])
        assert named == {**before[1], graph: triples, audit: 13}
        assert default == before[0] + triples + 13  # its triples are all its own
        assert client.delete("/graph/local/trust-void", headers=auth).status_code == 204
        after = described_graphs(
            parse(client.get("/sparql", params={"format": "turtle"}), ox.RdfFormat.TURTLE)
        )
        # the graph is gone; the removal is a second activity (6 more triples: same credential)
        assert after == (before[0] + 19, {**before[1], audit: 19})


def test_service_description_over_a_remote_store_reads_the_void_and_says_the_same(
    client, oxigraph_server, build_dir
):
    settings = Settings(build_dir=build_dir, store="remote", sparql_url=oxigraph_server.query_url)
    with TestClient(create_app(settings=settings)) as remote:
        for path in ("/sparql?format=turtle", "/.well-known/void"):
            answer = remote.get(path)
            assert answer.status_code == 200 and answer.content == client.get(path).content


def test_openapi_lists_the_void_in_every_graph_format(client):
    op = client.get("/openapi.json").json()["paths"]["/.well-known/void"]["get"]
    assert list(op["responses"]["200"]["content"]) == list(dict.fromkeys(f.media_type for f in GRAPH_FORMATS))
    assert {"404", "406"} <= set(op["responses"])


def test_void_and_service_description_in_json_ld_are_compacted_unless_expanded_is_asked(client):
    expanded = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
    for path in ("/.well-known/void", "/sparql"):
        compact = client.get(path, headers={"accept": "application/ld+json"})
        assert (
            compact.headers["content-type"]
            == 'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"'
        )
        assert compact.json()["@context"]["void"] == VOID
        full = client.get(path, headers={"accept": expanded})
        assert full.headers["content-type"] == expanded and isinstance(full.json(), list)
        graphs = [rdflib.Graph().parse(data=r.content, format="json-ld") for r in (compact, full)]
        assert len(graphs[0]) > 100 and isomorphic(*graphs)  # the service description's nodes are blank
