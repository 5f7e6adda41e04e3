"""Reads the query workers run for the API (kg.query.reads): plain data, the same as kg.query.trace in process,
capped, and stopped by a deadline like any query."""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
import pytest
from otkg.kg.query import trace
from otkg.kg.query.query_jobs import JobFailed
from otkg.kg.query.query_pool import DeadlineExceeded, QueryPool
from otkg.kg.query.reads import Read, Table, describe, evidence, table
from otkg.kg.query.search import SearchIndex, SearchTimedOut

ID = "https://w3id.org/otkg/id/"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CARE_CLUSTER = ox.NamedNode("https://w3id.org/otkg/ontology#CareCluster")


def test_evidence_is_the_trace_without_document_context(embedded_store):
    iri = ID + "intervention-16"
    assert evidence(embedded_store, iri, 10000) == trace.trace(embedded_store, iri, 80, None)
    with_text = trace.in_context(evidence(embedded_store, iri, 10000), 5, {"x": "y"})
    assert with_text == trace.trace(embedded_store, iri, 5, {"x": "y"})


def test_evidence_is_capped_and_says_so(embedded_store):
    full = evidence(embedded_store, ID + "intervention-16", 10000)
    cut = evidence(embedded_store, ID + "intervention-16", 2)
    assert len(full["evidence"]) > 2 and "more" not in full
    assert cut["evidence"] == full["evidence"][:2] and cut["more"] is True


def test_nothing_about_an_iri_is_none(embedded_store):
    assert describe(embedded_store, ID + "no-such-thing", 10) is None
    assert evidence(embedded_store, ID + "no-such-thing", 10) is None


def test_describe_caps_its_triples(embedded_store):
    triples, more = describe(embedded_store, ID + "cluster-14", 3)
    assert len(triples) == 3 and more is True
    everything, more = describe(embedded_store, ID + "cluster-14", 100000)
    assert not more and (ox.NamedNode(ID + "cluster-14"), TYPE, CARE_CLUSTER) in {
        (t.subject, t.predicate, t.object) for t in everything
    }


def test_a_table_holds_terms_shown_and_counted(embedded_store):
    text = "SELECT ?c WHERE { ?c a <https://w3id.org/otkg/ontology#CareCluster> } ORDER BY ?c"
    found = table(embedded_store, text, limit=5, offset=1, shown=2)
    assert (found.form, found.variables, found.total, found.more) == ("select", ["c"], 5, True)
    assert [r["c"] for r in found.rows] == [ox.NamedNode(ID + "cluster-1"), ox.NamedNode(ID + "cluster-10")]
    assert table(embedded_store, "ASK { ?s ?p ?o }", 1, 0, 1) == Table("ask", boolean=True)
    with pytest.raises(JobFailed) as failed:
        table(embedded_store, "SELECT ?s WHERE {", 1, 0, 1)
    assert failed.value.kind == "syntax"


def test_a_read_runs_in_a_worker_and_a_deadline_stops_it(embedded_store):
    async def main():
        pool = QueryPool(embedded_store.spec(), 1)
        await pool.start()
        try:
            found = await pool.run(Read("evidence", (ID + "intervention-16", 10000)), 30)
            with pytest.raises(DeadlineExceeded):
                await pool.run(Read("evidence", (ID + "doc-002", 10000)), 0.001)
            return found
        finally:
            await pool.close()

    assert asyncio.run(main()) == trace.trace(embedded_store, ID + "intervention-16", 80, None)


def test_a_search_past_its_deadline_is_stopped():
    rows = [
        (f"{ID}e{i}", "label", f"alpha word{i} " + " ".join(f"t{j}" for j in range(i % 40)))
        for i in range(30000)
    ]
    index = SearchIndex(rows)
    with pytest.raises(SearchTimedOut):
        index.search("alpha", 5, deadline=0.002)
    assert [h.entity for h in index.search("word7", 1, deadline=10)] == [ID + "e7"]  # the index still answers
