"""The VoID description a build writes (kg/pipeline/release.py): every named graph with its triples, the
documents each graph quotes and their rights, the web pages each external graph restates facts from
(licences not known), and what the dataset's own licence covers."""

from __future__ import annotations

import pytest
import rdflib
from otkg.kg.namespaces import DATASET
from otkg.kg.pipeline.release import CC_BY, EXTERNAL_RIGHTS
from otkg.kg.store.graph_counts import count_store, count_void
from rdflib.namespace import DCTERMS, RDF

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
GRAPH = "https://w3id.org/otkg/graph/"
ID = "https://w3id.org/otkg/id/"
QUOTING = ["care-map", "doc-000", "doc-001", "doc-002", "doc-003", "doc-004"]
EXTERNAL = [
    "external-care-map",
    "external-cluster-2-package",
    "external-clusters",
    "external-moho-tools",
    "external-organisations",
    "external-skill-levels",
]


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
    with_rights = {str(g)[len(GRAPH) :] for g in void.subjects(DCTERMS.rights, None) if g != DATASET}
    assert with_rights == set(QUOTING + EXTERNAL)
    for name in QUOTING:
        graph = rdflib.URIRef(GRAPH + name)
        doc = "doc-000" if name == "care-map" else name  # the care map's readings quote seed 000
        assert [s for s in void.objects(graph, DCTERMS.source) if str(s).startswith(ID)] == [
            rdflib.URIRef(ID + doc)
        ]
        [rights] = [
            r for r in void.objects(graph, DCTERMS.rights) if r != rdflib.Literal(EXTERNAL_RIGHTS, lang="en")
        ]
        assert rights.language == "en" and rights.startswith(
            "The document states no licence and no copyright holder."
        )
        stated = store.query(
            f"SELECT ?r WHERE {{ <{ID + doc}> <{DCTERMS.rights}> ?r }}", use_default_graph_as_union=True
        )
        assert [r["r"].value for r in stated] == [str(rights)]


def test_every_graph_with_facts_from_web_pages_names_them_and_says_their_licences_are_not_known(void, store):
    for name in [
        *EXTERNAL,
        "doc-004",
    ]:  # seed 004's graph holds the Children Act's title from legislation.gov.uk
        graph = rdflib.URIRef(GRAPH + name)
        cited = store.query(
            f"SELECT DISTINCT ?page WHERE {{ GRAPH <{graph}> {{ ?claim <{DCTERMS.source}> ?page }} "
            f'FILTER(!STRSTARTS(STR(?page), "https://w3id.org/otkg/")) }}'
        )
        pages = sorted(str(p) for p in void.objects(graph, DCTERMS.source) if not str(p).startswith(ID))
        assert pages == sorted(r["page"].value for r in cited) and pages, name
        assert rdflib.Literal(EXTERNAL_RIGHTS, lang="en") in set(void.objects(graph, DCTERMS.rights))
    assert "their licences are not known to the project" in EXTERNAL_RIGHTS
    clusters = sorted(
        str(p) for p in void.objects(rdflib.URIRef(GRAPH + "external-clusters"), DCTERMS.source)
    )
    assert clusters == ["https://pmc.ncbi.nlm.nih.gov/articles/PMC6946607/table/Tab1"]
    act = list(void.objects(rdflib.URIRef(GRAPH + "doc-004"), DCTERMS.source))
    assert rdflib.URIRef("https://www.legislation.gov.uk/ukpga/2004/31/contents") in act
    # graphs whose every fact is quoted or curated state no web page's rights
    for name in ["care-map", "doc-000", "doc-001", "doc-002", "doc-003", "curation", "ontology"]:
        assert rdflib.Literal(EXTERNAL_RIGHTS, lang="en") not in set(
            void.objects(rdflib.URIRef(GRAPH + name), DCTERMS.rights)
        ), name


def test_dataset_licence_covers_the_projects_own_statements_only(void):
    assert list(void.objects(DATASET, DCTERMS.license)) == [CC_BY]
    [scope] = void.objects(DATASET, DCTERMS.rights)
    assert "CC BY 4.0 covers the otkg project's own contributions" in scope
    assert "is not the project's to license" in scope


def test_counting_the_store_agrees_with_the_void(build_dir, embedded_store):
    counts = count_store(embedded_store)
    assert counts == count_void(build_dir / "void.ttl")
    assert len(counts.named) == 14 and counts.default < sum(counts.named.values())
