"""The VoID description a build writes (kg/pipeline/release.py): every named graph with its triples, the
documents each graph quotes and their rights, and what the dataset's own licence covers."""

from __future__ import annotations

import pytest
import rdflib
from otkg.kg.namespaces import DATASET
from otkg.kg.pipeline.release import CC_BY
from otkg.kg.store.graph_counts import count_store, count_void
from rdflib.namespace import DCTERMS, RDF

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
GRAPH = "https://w3id.org/otkg/graph/"
ID = "https://w3id.org/otkg/id/"
QUOTING = ["care-map", "doc-000", "doc-001", "doc-002", "doc-003", "doc-004"]


@pytest.fixture(scope="module")
def void(build_dir) -> rdflib.Graph:
    return rdflib.Graph().parse(build_dir / "void.ttl", format="turtle")


def _store_counts(store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows}


def test_void_names_every_graph_of_the_store_with_its_triples(void, store):
    subsets = {str(s): int(void.value(s, VOID.triples)) for s in void.objects(DATASET, VOID.subset)}
    assert len(subsets) == 14 and GRAPH + "ontology" in subsets
    assert subsets == _store_counts(store)
    for s in void.objects(DATASET, VOID.subset):
        assert (s, RDF.type, VOID.Dataset) in void


def test_void_counts_the_distinct_triples_of_the_union(void, store):
    distinct = {(q.subject, q.predicate, q.object) for q in store}
    assert (
        int(void.value(DATASET, VOID.triples)) == len(distinct) < len(store)
    )  # some triples are in two graphs


def test_every_graph_quoting_a_document_states_that_documents_rights(void, store):
    with_rights = sorted(str(g)[len(GRAPH) :] for g in void.subjects(DCTERMS.rights, None) if g != DATASET)
    assert with_rights == QUOTING
    for name in QUOTING:
        graph = rdflib.URIRef(GRAPH + name)
        doc = "doc-000" if name == "care-map" else name  # the care map's readings quote seed 000
        assert list(void.objects(graph, DCTERMS.source)) == [rdflib.URIRef(ID + doc)]
        [rights] = void.objects(graph, DCTERMS.rights)
        assert rights.language == "en" and rights.startswith(
            "The document states no licence and no copyright holder."
        )
        stated = store.query(
            f"SELECT ?r WHERE {{ <{ID + doc}> <{DCTERMS.rights}> ?r }}", use_default_graph_as_union=True
        )
        assert [r["r"].value for r in stated] == [str(rights)]


def test_dataset_licence_covers_the_projects_own_statements_only(void):
    assert list(void.objects(DATASET, DCTERMS.license)) == [CC_BY]
    [scope] = void.objects(DATASET, DCTERMS.rights)
    assert "CC BY 4.0 covers the otkg project's own contributions" in scope
    assert "is not the project's to license" in scope


def test_counting_the_store_agrees_with_the_void(build_dir, embedded_store):
    counts = count_store(embedded_store)
    assert counts == count_void(build_dir / "void.ttl")
    assert len(counts.named) == 14 and counts.default < sum(counts.named.values())
