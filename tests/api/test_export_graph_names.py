"""A named graph's export keeps its name: the `graph` header of export-document-graph says which
parameter names the graph its CONSTRUCT's triples belong to, and its N-Quads and TriG answers put
every triple in that graph (a CONSTRUCT itself answers bare triples)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

DOC = "https://w3id.org/otkg/graph/doc-001"
EXPORT = "/queries/export-document-graph"


def _export(client, fmt: str, graph: str = DOC):
    r = client.get(EXPORT, params={"graph": graph, "format": fmt})
    assert r.status_code == 200, r.text
    return r


@pytest.fixture(scope="module")
def doc_triples(store) -> set[ox.Triple]:
    """Every triple of doc-001's graph, as the store holds it."""
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(DOC))
    }


def test_nquads_export_names_the_graph_on_every_line(client, doc_triples):
    r = _export(client, "nquads")
    lines = r.text.splitlines()
    assert len(lines) == len(doc_triples) > 1000
    assert all(line.endswith(f" <{DOC}> .") for line in lines)
    quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {ox.NamedNode(DOC)}
    assert {q.triple for q in quads} == doc_triples
    assert r.content != _export(client, "ntriples").content  # no longer the N-Triples bytes


def test_trig_export_is_one_block_of_that_graph_and_loads_into_it(client, doc_triples):
    r = _export(client, "trig")
    assert r.headers["content-type"] == "application/trig"
    assert r.text.count(f"<{DOC}> {{") == 1 and r.text.count("{") == r.text.count("}") == 1
    loaded = ox.Store()
    loaded.load(r.content, format=ox.RdfFormat.TRIG)
    assert list(loaded.named_graphs()) == [ox.NamedNode(DOC)]
    assert not list(loaded.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert {q.triple for q in loaded.quads_for_pattern(None, None, None, ox.NamedNode(DOC))} == doc_triples


def test_the_graph_follows_the_parameter(client):
    other = "https://w3id.org/otkg/graph/doc-002"
    quads = list(ox.parse(_export(client, "nquads", other).content, format=ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name for q in quads} == {ox.NamedNode(other)}


def test_triple_formats_are_unchanged(client, doc_triples):
    nt = _export(client, "ntriples")
    assert {q.triple for q in ox.parse(nt.content, format=ox.RdfFormat.N_TRIPLES)} == doc_triples
    ttl = _export(client, "turtle")
    assert {q.triple for q in ox.parse(ttl.content, format=ox.RdfFormat.TURTLE)} == doc_triples


def test_a_construct_without_a_declared_graph_stays_in_the_default_graph(client):
    r = client.get(
        "/queries/describe-entity",
        params={"entity": "https://w3id.org/otkg/id/cluster-14", "format": "trig"},
    )
    quads = list(ox.parse(r.content, format=ox.RdfFormat.TRIG))
    assert quads and {q.graph_name for q in quads} == {ox.DefaultGraph()}
