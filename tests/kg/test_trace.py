"""The evidence chain's queries (kg.query.trace): exact answers, and the same answers as the plain
formulations they replace where those were reshaped for pyoxigraph's planner."""

from __future__ import annotations

import pytest
from otkg.kg.query import trace

ID = "https://w3id.org/otkg/id/"
# The note's OPTIONAL as first written: the same meaning, but pyoxigraph evaluated its group over every
# claim of the store before the join, so a trace slowed with every upload (kg/query/trace.py).
PLAIN_NOTE = "OPTIONAL { ?evidence a otkg:Claim ; otkg:curationNote ?note }"
NOTE = "OPTIONAL { ?evidence otkg:curationNote ?note FILTER(?claim) }"
PLAIN_EVIDENCE = trace.EVIDENCE.replace(NOTE, PLAIN_NOTE)
NOTED = """SELECT DISTINCT ?entity WHERE {
  { ?c a otkg:Claim ; otkg:curationNote ?n } UNION { ?c a otkg:CuratedLink ; otkg:curationNote ?n }
  { ?c (oa:hasBody|otkg:supports/rdf:subject) ?entity } UNION { BIND(?c AS ?entity) }
  FILTER(isIRI(?entity))
} ORDER BY ?entity"""


def _noted(store) -> list[str]:
    """Entities with a curated claim or link among their evidence, and those claims and links."""
    return [r["entity"].value for r in store.query(trace.PREFIXES + NOTED)]


def test_the_plain_formulation_is_the_one_replaced():
    assert NOTE in trace.EVIDENCE and PLAIN_EVIDENCE != trace.EVIDENCE


def test_evidence_rows_equal_the_plain_formulation_wherever_a_note_can_appear(embedded_store):
    entities = _noted(embedded_store)
    assert len(entities) > 100  # curated claims and links, and what they are about
    for iri in entities:
        assert trace._rows(embedded_store, trace.EVIDENCE, entity=iri) == trace._rows(
            embedded_store, PLAIN_EVIDENCE, entity=iri
        ), iri


@pytest.mark.parametrize(("name", "notes"), [("intervention-04", 4), ("cluster-2", 0)])
def test_a_curated_claim_carries_its_note_and_a_curated_link_none(embedded_store, name, notes):
    rows = trace._rows(embedded_store, trace.EVIDENCE, entity=ID + name)
    noted = (
        trace.PREFIXES
        + f"""SELECT ?c ?note WHERE {{ ?c a otkg:Claim ; otkg:curationNote ?note ;
        (oa:hasBody|otkg:supports/rdf:subject) <{ID + name}> }} ORDER BY ?c"""
    )
    expected = {(r["c"].value, r["note"].value) for r in embedded_store.query(noted)}
    assert len(expected) == notes
    assert {(r["evidence"], r["note"]) for r in rows if "note" in r} == expected
    assert all("note" not in r for r in rows if r["kind"] == "curated")
    assert len({r["evidence"] for r in rows}) == len(rows)  # each piece of evidence once
