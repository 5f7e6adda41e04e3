"""kg.query.jsonld: compacted JSON-LD written straight from triples equals PyLD's compaction of the same."""

import json

import pyoxigraph as ox
import pytest
from otkg.kg.namespaces import PREFIXES
from otkg.kg.query import jsonld

OTKG, ID = "https://w3id.org/otkg/ontology#", "https://w3id.org/otkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
N = ox.NamedNode
EDGES = """
@prefix otkg: <https://w3id.org/otkg/ontology#> . @prefix id: <https://w3id.org/otkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:a a otkg:CarePackage, otkg:Thing ; rdfs:label "a"@en, "un a"@fr, "plain", "£ café" ;
  otkg:count 3, "3"^^xsd:decimal ; otkg:on "true"^^xsd:boolean ; otkg:odd "x"^^<urn:type:t> ;
  otkg:next id:b, <https://w3id.org/otkg/id/>, <urn:isbn:1>, _:n ; rdfs:seeAlso <https://w3id.org/otkg/ontology#> .
_:n otkg:next id:a ; a "a literal type" .
<https://w3id.org/otkg/ontology#> rdfs:label "the ontology" .
"""


def _triples(ttl: str) -> list:
    return list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))


def test_the_context_is_the_project_prefix_map():
    assert jsonld.context() == {p: str(ns) for p, ns in PREFIXES.items()}
    assert jsonld.context()["otkg"] == OTKG and jsonld.context()["id"] == ID
    assert json.loads(jsonld.context_document()) == {"@context": jsonld.context()}


def test_compaction_equals_pyld_on_every_kind_of_term():
    doc = jsonld.expanded(_triples(EDGES) * 2)  # repeats are dropped, as RDF-to-JSON-LD drops them
    assert jsonld.compact(doc) == jsonld.compact_with_pyld(doc)


def test_compacted_terms_read_as_curies():
    out = jsonld.compact(jsonld.expanded(_triples(EDGES)))
    a = next(n for n in out["@graph"] if n["@id"] == "id:a")
    assert a["@type"] == ["otkg:CarePackage", "otkg:Thing"]
    assert a["rdfs:label"] == [
        {"@value": "a", "@language": "en"},
        {"@value": "un a", "@language": "fr"},
        "plain",
        "£ café",
    ]
    assert a["otkg:count"] == [
        {"@type": "xsd:integer", "@value": "3"},
        {"@type": "xsd:decimal", "@value": "3"},
    ]
    assert a["otkg:odd"] == {"@type": "urn:type:t", "@value": "x"}
    # a namespace's own IRI is no compact IRI; IRIs outside every prefix stay whole; blank nodes keep _:
    assert a["otkg:next"] == [{"@id": "id:b"}, {"@id": ID}, {"@id": "urn:isbn:1"}, {"@id": "_:n"}]
    assert a["rdfs:seeAlso"] == {"@id": OTKG}
    blank = next(n for n in out["@graph"] if n["@id"] == "_:n")
    assert blank == {
        "@id": "_:n",
        "otkg:next": {"@id": "id:a"},
        "rdf:type": "a literal type",
    }  # rdf:type with a literal stays a property


def test_empty_answer_is_an_empty_graph():
    assert jsonld.compact([]) == jsonld.compact_with_pyld([]) == {"@context": jsonld.context(), "@graph": []}


def test_compaction_equals_pyld_on_a_real_document_graph(store):
    graph = N("https://w3id.org/otkg/graph/doc-000")
    triples = list(
        store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={ox.Variable("g"): graph}
        )
    )
    assert len(triples) > 10000
    doc = jsonld.expanded(triples)
    assert jsonld.compact(doc) == jsonld.compact_with_pyld(doc)


def test_both_profiles_read_back_as_the_same_triples():
    triples = _triples(EDGES)
    for profile in (jsonld.COMPACTED, jsonld.EXPANDED):
        back = list(ox.parse(jsonld.to_bytes(triples, profile), format=ox.RdfFormat.JSON_LD))
        assert _canonical(back) == _canonical(triples), profile


def _canonical(triples) -> set:
    # one blank node only in EDGES: its label may change, its place may not
    return {
        tuple("_:" if isinstance(t, ox.BlankNode) else str(t) for t in (x.subject, x.predicate, x.object))
        for x in triples
    }


@pytest.mark.parametrize(
    ("media_type", "profile"),
    [
        ("application/ld+json", jsonld.COMPACTED),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', jsonld.COMPACTED),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', jsonld.EXPANDED),
        ("text/turtle", None),
    ],
    ids=["plain", "compacted", "expanded", "turtle"],
)
def test_profile_of_media_type(media_type, profile):
    assert jsonld.profile_of(media_type) == profile


def test_other_formats_pass_through_to_pyoxigraph():
    triples = _triples("<urn:a> <urn:b> <urn:c> .")
    assert jsonld.serialize(triples, "application/n-triples") == b"<urn:a> <urn:b> <urn:c> .\n"


def test_a_triple_term_has_no_json_ld_form():
    triples = _triples("<urn:a> <urn:b> <<( <urn:x> <urn:y> <urn:z> )>> .")
    with pytest.raises(ValueError, match="triple term"):
        jsonld.to_bytes(triples)
