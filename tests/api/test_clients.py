"""Real SPARQL clients against a real uvicorn server over the real graph: SPARQLWrapper and rdflib."""

from __future__ import annotations

import urllib.error

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

OTKG = rdflib.Namespace("https://w3id.org/otkg/ontology#")
ID = rdflib.Namespace("https://w3id.org/otkg/id/")
GRAPH = "https://w3id.org/otkg/graph/"
PREFIXES = f"PREFIX otkg: <{OTKG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
CLUSTERS = PREFIXES + "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a otkg:CareCluster }"
CONSTRUCT = PREFIXES + (
    "CONSTRUCT { ?c rdfs:label ?label ; otkg:maxReviewInterval ?i } WHERE { "
    "?c otkg:clusterCode 14 ; rdfs:label ?label ; otkg:maxReviewInterval ?i }"
)
CLUSTER_14 = {
    (ID["cluster-14"], rdflib.RDFS.label, rdflib.Literal("Psychotic Crisis", lang="en")),
    (ID["cluster-14"], OTKG.maxReviewInterval, rdflib.Literal("P28D")),
}


@pytest.fixture
def endpoint(live_server) -> str:
    return live_server + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    w = SPARQLWrapper(endpoint)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    w.setTimeout(30)
    return w


# --- SPARQLWrapper -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(endpoint, method):
    result = wrapper(endpoint, CLUSTERS, JSON, method).query()
    assert result.response.headers["content-type"].startswith("application/sparql-results+json")
    body = result.convert()
    assert body["head"]["vars"] == ["n"]
    assert body["results"]["bindings"] == [
        {"n": {"type": "literal", "value": "21", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
    ]


def test_sparqlwrapper_label_and_review_interval(endpoint):
    q = PREFIXES + (
        f"SELECT ?label ?interval WHERE {{ <{ID['cluster-14']}> rdfs:label ?label . "
        f"<{ID['cluster-1']}> otkg:maxReviewInterval ?interval }}"
    )
    rows = wrapper(endpoint, q, JSON).query().convert()["results"]["bindings"]
    assert rows == [
        {
            "label": {"type": "literal", "value": "Psychotic Crisis", "xml:lang": "en"},
            "interval": {"type": "literal", "value": "P84D"},
        }
    ]


def test_sparqlwrapper_ask_and_csv(endpoint):
    assert wrapper(
        endpoint, PREFIXES + f"ASK {{ <{ID['cluster-14']}> a otkg:CareCluster }}", JSON
    ).query().convert() == {"head": {}, "boolean": True}
    q = PREFIXES + "SELECT ?c WHERE { ?c otkg:clusterCode ?code FILTER(?code <= 1) } ORDER BY ?code"
    assert (
        wrapper(endpoint, q, CSV).query().convert()
        == (f"c\r\n{ID['cluster-0']}\r\n{ID['cluster-1']}\r\n").encode()
    )


@pytest.mark.parametrize(
    "fmt, media_type",
    [
        (TURTLE, "text/turtle"),
        (N3, "text/turtle"),
        (XML, "application/rdf+xml"),
        (RDFXML, "application/rdf+xml"),
        (JSONLD, "application/ld+json"),
    ],
)
def test_sparqlwrapper_construct(endpoint, fmt, media_type):
    result = wrapper(endpoint, CONSTRUCT, fmt).query()
    assert result.response.headers["content-type"].split(";")[0] == media_type
    converted = result.convert()
    if isinstance(converted, bytes):  # Turtle and N3 come back as text
        converted = rdflib.Graph().parse(data=converted, format="turtle")
    assert set(converted) == CLUSTER_14


def test_sparqlwrapper_sees_errors(endpoint):
    with pytest.raises(QueryBadFormed, match="SPARQL syntax error"):
        wrapper(endpoint, "SELECT * WHERE {", JSON).query()
    update = wrapper(endpoint, "CLEAR ALL", JSON, "POST")  # SPARQLWrapper sends it as update=
    with pytest.raises(urllib.error.HTTPError) as err:
        update.query()
    assert err.value.code == 403


# --- rdflib's SPARQLStore ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_sparqlstore_select(endpoint, method):
    store = SPARQLStore(endpoint, method=method)
    assert [row.n.toPython() for row in store.query(CLUSTERS)] == [21]


def test_sparqlstore_graph_api(endpoint):
    g = rdflib.Graph(store=SPARQLStore(endpoint))
    assert g.value(ID["cluster-14"], rdflib.RDFS.label) == rdflib.Literal("Psychotic Crisis", lang="en")
    assert list(g.objects(ID["cluster-1"], OTKG.maxReviewInterval)) == [rdflib.Literal("P84D")]
    q = PREFIXES + f"SELECT ?i WHERE {{ <{ID['cluster-1']}> otkg:maxReviewInterval ?i }}"
    assert [str(row.i) for row in g.query(q)] == ["P84D"]
    assert g.query(PREFIXES + f"ASK {{ <{ID['cluster-14']}> a otkg:CareCluster }}").askAnswer is True
    assert set(g.query(CONSTRUCT).graph) == CLUSTER_14


def test_sparqlstore_graph_identifier_is_the_default_graph(endpoint):
    """A Graph named after one of otkg's graphs queries that graph alone (sent as default-graph-uri)."""
    clusters = rdflib.Graph(store=SPARQLStore(endpoint), identifier=GRAPH + "external-clusters")
    assert [row.n.toPython() for row in clusters.query(CLUSTERS)] == [21]
    curation = rdflib.Graph(store=SPARQLStore(endpoint), identifier=GRAPH + "curation")
    assert [row.n.toPython() for row in curation.query(CLUSTERS)] == [0]
