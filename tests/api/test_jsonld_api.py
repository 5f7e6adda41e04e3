"""JSON-LD answers: compacted with the project's prefixes by default, expanded on request, the
context served on its own; every form reads back as the same triples as the Turtle answer."""

import rdflib
from otkg.kg.query import jsonld
from rdflib.compare import isomorphic

COMPACTED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"'
EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
ID = "https://w3id.org/otkg/id/"
CONSTRUCT = (
    "PREFIX otkg: <https://w3id.org/otkg/ontology#> CONSTRUCT { ?c ?p ?o } "
    "WHERE { ?c a otkg:CareCluster ; ?p ?o }"
)


def _graph(body: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def test_entity_answers_compacted_with_exact_keys(client):
    r = client.get("/id/cluster-14", headers={"accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"] == COMPACTED
    body = r.json()
    assert body["@context"] == jsonld.context()
    node = next(n for n in body["@graph"] if n["@id"] == "id:cluster-14")
    assert set(node) == {
        "@id",
        "@type",
        "rdfs:label",
        "skos:notation",
        "skos:inScheme",
        "otkg:clusterCode",
        "otkg:inSuperClass",
        "otkg:maxReviewInterval",
        "otkg:maxReviewIntervalText",
    }
    # its class and, entailed by the build, the class's superclass (kg/pipeline/entail.py)
    assert sorted(node["@type"]) == ["otkg:CareCluster", "skos:Concept"]
    assert node["rdfs:label"] == {"@value": "Psychotic Crisis", "@language": "en"}
    assert node["otkg:clusterCode"] == {"@type": "xsd:integer", "@value": "14"}
    assert node["otkg:inSuperClass"] == {"@id": "id:superclass-psychotic"}


def test_entity_json_ld_reads_back_as_its_turtle(client):
    ttl = client.get("/id/cluster-14", headers={"accept": "text/turtle"}).content
    for accept in ("application/ld+json", EXPANDED):
        ld = client.get("/id/cluster-14", headers={"accept": accept}).content
        assert isomorphic(_graph(ld, "json-ld"), _graph(ttl, "turtle")), accept


def test_expanded_profile_by_accept_or_by_name(client):
    by_accept = client.get("/id/cluster-14", headers={"accept": EXPANDED})
    by_name = client.get("/id/cluster-14", params={"format": "jsonld-expanded"})
    assert by_accept.headers["content-type"] == by_name.headers["content-type"] == EXPANDED
    assert by_accept.content == by_name.content
    nodes = by_accept.json()
    assert isinstance(nodes, list)
    node = next(n for n in nodes if n["@id"] == ID + "cluster-14")
    assert node["http://www.w3.org/2000/01/rdf-schema#label"] == [
        {"@value": "Psychotic Crisis", "@language": "en"}
    ]


def test_expanded_profile_is_never_chosen_without_being_named(client):
    flattened = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#flattened"'  # not offered
    for accept, expected in [
        ("*/*", "text/turtle; charset=utf-8"),
        ("application/*", "application/n-triples"),
        ("application/ld+json", COMPACTED),
        (COMPACTED, COMPACTED),
        (flattened, COMPACTED),
    ]:
        r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
        assert r.headers["content-type"] == expected, accept


def test_sparql_construct_json_ld_reads_back_as_its_turtle(client):
    ttl = client.get("/sparql", params={"query": CONSTRUCT, "format": "turtle"}).content
    ld = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "application/ld+json"})
    assert ld.headers["content-type"] == COMPACTED
    # the 21 care clusters' own triples: 167, and each one's entailed type skos:Concept
    assert len(_graph(ttl, "turtle")) == 188
    assert isomorphic(_graph(ld.content, "json-ld"), _graph(ttl, "turtle"))
    labels = {n["@id"]: n["rdfs:label"]["@value"] for n in ld.json()["@graph"]}
    assert len(labels) == 21 and labels["id:cluster-14"] == "Psychotic Crisis"


def test_named_construct_json_ld_reads_back_as_its_turtle(client):
    params = {"graph": "https://w3id.org/otkg/graph/doc-001"}
    ttl = client.get("/queries/export-document-graph", params={**params, "format": "turtle"}).content
    ld = client.get("/queries/export-document-graph", params={**params, "format": "jsonld"})
    assert ld.headers["content-type"] == COMPACTED and ld.json()["@context"] == jsonld.context()
    assert isomorphic(_graph(ld.content, "json-ld"), _graph(ttl, "turtle"))


def test_context_document_is_served_and_readable_cross_origin(client):
    r = client.get("/context.jsonld", headers={"origin": "https://example.org"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    assert r.json() == {"@context": jsonld.context()}
    assert r.json()["@context"]["otkg"] == "https://w3id.org/otkg/ontology#"
    assert r.headers["access-control-allow-origin"] == "*"


def test_a_triple_term_asked_as_json_ld_is_a_problem(client):
    q = "CONSTRUCT { <urn:a> <urn:b> <<( <urn:x> <urn:y> <urn:z> )>> } WHERE {}"
    r = client.get("/sparql", params={"query": q, "format": "jsonld"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert "triple term" in r.json()["detail"] and "Turtle" in r.json()["detail"]
    assert client.get("/sparql", params={"query": q, "format": "turtle"}).status_code == 200
