"""/sparql over the real graph, in process: negotiation, result formats, datasets and every refusal."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib

PROBLEM = "application/problem+json"
OTKG = "https://w3id.org/otkg/ontology#"
ID = "https://w3id.org/otkg/id/"
GRAPH = "https://w3id.org/otkg/graph/"
PREFIXES = f"PREFIX otkg: <{OTKG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
CLUSTERS = PREFIXES + "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a otkg:CareCluster }"
SMALL = PREFIXES + (
    "SELECT ?c ?label ?code WHERE { ?c otkg:clusterCode ?code ; rdfs:label ?label "
    "FILTER(?code <= 2) } ORDER BY ?code"
)
CONSTRUCT = PREFIXES + (
    "CONSTRUCT { ?c rdfs:label ?label ; otkg:maxReviewInterval ?i } WHERE { "
    "?c otkg:clusterCode 14 ; rdfs:label ?label ; otkg:maxReviewInterval ?i }"
)
CLUSTER_14 = {
    (rdflib.URIRef(ID + "cluster-14"), rdflib.RDFS.label, rdflib.Literal("Psychotic Crisis", lang="en")),
    (rdflib.URIRef(ID + "cluster-14"), rdflib.URIRef(OTKG + "maxReviewInterval"), rdflib.Literal("P28D")),
}


def media_type(resp) -> str:
    return resp.headers["content-type"].split(";")[0].strip()


def assert_problem(resp, status: int, *in_detail: str) -> dict:
    assert resp.status_code != 500, resp.text
    assert resp.status_code == status, resp.text
    assert media_type(resp) == PROBLEM
    body = resp.json()
    assert body["status"] == status and body["title"] and body["detail"]
    for text in in_detail:
        assert text in body["detail"], body
    return body


def count(resp) -> int:
    assert resp.status_code == 200, resp.text
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


# --- negotiation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0.1, text/csv", "text/csv"),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.8", "text/tab-separated-values"),
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        (None, "application/sparql-results+json"),
    ],
)
def test_accept_with_q_values(client, accept, expected):
    resp = client.get("/sparql", params={"query": CLUSTERS}, headers={"accept": accept} if accept else {})
    assert resp.status_code == 200, resp.text
    assert media_type(resp) == expected
    if expected == "text/csv":  # lossy: pyoxigraph will not parse it back
        assert resp.text == "n\r\n21\r\n"
        return
    result = ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.from_media_type(expected))
    assert next(iter(result))["n"].value == "21"


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
        ("json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
    ],
)
def test_format_parameter_overrides_accept(client, fmt, expected):
    resp = client.get(
        "/sparql",
        params={"query": CLUSTERS, "format": fmt},
        headers={"accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 200, resp.text
    assert media_type(resp) == expected


def test_unacceptable_type_is_406(client):
    resp = client.get("/sparql", params={"query": CLUSTERS}, headers={"accept": "image/png"})
    assert_problem(resp, 406, "application/sparql-results+json")


def test_unknown_format_is_406(client):
    assert_problem(client.get("/sparql", params={"query": CLUSTERS, "format": "png"}), 406, "png")


def test_ask_offers_every_results_format(client):
    ask = PREFIXES + f"ASK {{ <{ID}cluster-14> a otkg:CareCluster }}"
    resp = client.get("/sparql", params={"query": ask})
    assert resp.status_code == 200 and resp.json() == {"head": {}, "boolean": True}
    resp = client.get("/sparql", params={"query": ask}, headers={"accept": "application/sparql-results+xml"})
    assert media_type(resp) == "application/sparql-results+xml" and b"<boolean>true</boolean>" in resp.content
    resp = client.get("/sparql", params={"query": ask}, headers={"accept": "text/csv"})  # one column, as Jena
    assert media_type(resp) == "text/csv" and resp.content == b"_askResult\r\ntrue\r\n"


# --- exact result bodies -------------------------------------------------------------------------


def test_csv_body(client):
    resp = client.get("/sparql", params={"query": SMALL}, headers={"accept": "text/csv"})
    assert resp.status_code == 200 and media_type(resp) == "text/csv"
    assert resp.text == (
        "c,label,code\r\n"
        f"{ID}cluster-0,Variance,0\r\n"
        f"{ID}cluster-1,Common Mental Health Problems (Low Severity),1\r\n"
        f"{ID}cluster-2,Common Mental Health Problems (Low Severity with Greater Need),2\r\n"
    )


def test_tsv_body(client):
    resp = client.post("/sparql", data={"query": SMALL, "format": "tsv"})
    assert resp.status_code == 200 and media_type(resp) == "text/tab-separated-values"
    assert resp.text == (
        "?c\t?label\t?code\n"
        f'<{ID}cluster-0>\t"Variance"@en\t0\n'
        f'<{ID}cluster-1>\t"Common Mental Health Problems (Low Severity)"@en\t1\n'
        f'<{ID}cluster-2>\t"Common Mental Health Problems (Low Severity with Greater Need)"@en\t2\n'
    )


def test_json_body(client):
    resp = client.post("/sparql", content=SMALL, headers={"content-type": "application/sparql-query"})
    assert resp.status_code == 200 and media_type(resp) == "application/sparql-results+json"
    body = resp.json()
    assert body["head"] == {"vars": ["c", "label", "code"]}
    assert [(b["c"]["value"], b["label"], b["code"]["value"]) for b in body["results"]["bindings"]] == [
        (f"{ID}cluster-{i}", {"type": "literal", "value": label, "xml:lang": "en"}, str(i))
        for i, label in enumerate(
            [
                "Variance",
                "Common Mental Health Problems (Low Severity)",
                "Common Mental Health Problems (Low Severity with Greater Need)",
            ]
        )
    ]


# --- CONSTRUCT in every graph format --------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, fmt, rdflib_format",
    [
        ("text/turtle", None, "turtle"),
        ("application/n-triples", None, "nt"),
        ("application/ld+json", None, "json-ld"),
        ("application/rdf+xml", None, "xml"),
        (None, "turtle", "turtle"),
        (None, "ntriples", "nt"),
        (None, "jsonld", "json-ld"),
        (None, "rdfxml", "xml"),
        (None, "xml", "xml"),  # what SPARQLWrapper sends as format= for RDF/XML
    ],
)
def test_construct_formats(client, accept, fmt, rdflib_format):
    params = {"query": CONSTRUCT, **({"format": fmt} if fmt else {})}
    resp = client.get("/sparql", params=params, headers={"accept": accept} if accept else {})
    assert resp.status_code == 200, resp.text
    expected = {
        "turtle": "text/turtle",
        "nt": "application/n-triples",
        "json-ld": "application/ld+json",
        "xml": "application/rdf+xml",
    }[rdflib_format]
    assert media_type(resp) == expected
    g = rdflib.Graph().parse(data=resp.content, format=rdflib_format)
    assert set(g) == CLUSTER_14


def test_construct_defaults_to_turtle_and_refuses_result_types(client):
    resp = client.get("/sparql", params={"query": CONSTRUCT})
    assert media_type(resp) == "text/turtle"
    resp = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/csv"})
    assert_problem(resp, 406, "text/turtle")


def test_relative_iris_resolve_against_the_endpoint(client):
    resp = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"accept": "application/n-triples"},
    )
    assert resp.status_code == 200, resp.text
    assert resp.text.strip() == (
        '<http://testserver/s> <http://testserver/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )
    own_base = "BASE <http://example.org/a/> SELECT ?x WHERE { BIND(<b> AS ?x) }"
    assert client.get("/sparql", params={"query": own_base}).json()["results"]["bindings"] == [
        {"x": {"type": "uri", "value": "http://example.org/a/b"}}
    ]
    # another Host is another base: the endpoint's URL is made once per host, never reused across them
    resp = client.get(
        "/sparql",
        params={"query": "SELECT ?x WHERE { BIND(<s> AS ?x) }"},
        headers={"host": "otkg.example.org:8443"},
    )
    assert resp.json()["results"]["bindings"] == [
        {"x": {"type": "uri", "value": "http://otkg.example.org:8443/s"}}
    ]


@pytest.mark.parametrize(
    "parts",
    [
        {"server": ("127.0.0.1", 8000), "headers": [(b"host", b"127.0.0.1:8000")]},
        {
            "scheme": "https",
            "server": ("10.0.0.1", 443),
            "headers": [(b"host", b"example.org")],
            "root_path": "/otkg",
        },
        {"server": ["testserver", 80], "headers": []},  # a list, as some servers give it
        {"server": ("::1", 8080), "headers": [], "root_path": "/x/"},
        {"server": None, "headers": [(b"host", b"not a host")]},
        {"server": ("h", 80), "headers": [(b"host", b"www.example")], "app_root_path": "/mounted"},
        {"server": ("h", 80), "headers": [(b"accept", b"*/*"), (b"host", b"a:1"), (b"host", b"b:2")]},
    ],
)
def test_the_endpoint_url_is_starlettes_base_url(parts):
    from otkg.api.service import base_url
    from starlette.requests import Request

    scope = {"type": "http", "scheme": "http", "path": "/sparql", "query_string": b"query=x", "root_path": ""}
    request = Request({**scope, **parts})
    assert base_url(request) == str(request.base_url)


# --- dataset -------------------------------------------------------------------------------------


def test_default_graph_is_the_union(client):
    assert count(client.get("/sparql", params={"query": CLUSTERS})) == 21


def test_default_graph_uri_restricts_to_one_named_graph(client):
    one = client.get("/sparql", params={"query": CLUSTERS, "default-graph-uri": GRAPH + "external-clusters"})
    assert count(one) == 21
    other = client.get("/sparql", params={"query": CLUSTERS, "default-graph-uri": GRAPH + "curation"})
    assert count(other) == 0
    absent = client.post("/sparql", data={"query": CLUSTERS, "default-graph-uri": "http://example.org/none"})
    assert count(absent) == 0


def test_named_graph_uri_limits_graph_patterns(client):
    q = PREFIXES + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a otkg:CareCluster } }"
    resp = client.get(
        "/sparql", params={"query": q, "named-graph-uri": [GRAPH + "external-clusters", GRAPH + "curation"]}
    )
    assert [b["g"]["value"] for b in resp.json()["results"]["bindings"]] == [GRAPH + "external-clusters"]
    resp = client.get("/sparql", params={"query": q, "named-graph-uri": GRAPH + "curation"})
    assert resp.json()["results"]["bindings"] == []


def test_bad_graph_iri_is_400(client):
    assert_problem(client.get("/sparql", params={"query": CLUSTERS, "default-graph-uri": "not an iri"}), 400)


# --- service description -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_service_description_when_no_query(client, method):
    if method == "GET":
        resp = client.get("/sparql", headers={"accept": "text/turtle"})
    else:
        resp = client.post("/sparql", data={}, headers={"content-type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 200, resp.text
    assert media_type(resp) == "text/turtle"
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    g = rdflib.Graph().parse(data=resp.content, format="turtle")
    svc = g.value(None, rdflib.RDF.type, SD.Service)
    assert g.value(svc, SD.endpoint) == rdflib.URIRef("http://testserver/sparql")
    assert g.value(svc, SD.supportedLanguage) == SD.SPARQL11Query
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in set(
        g.objects(svc, SD.resultFormat)
    )


def test_service_description_in_json_ld(client):
    resp = client.get("/sparql", params={"format": "jsonld"})
    assert resp.status_code == 200 and media_type(resp) == "application/ld+json"
    assert "http://testserver/sparql" in json.dumps(resp.json())


# --- refusals ------------------------------------------------------------------------------------


def test_syntax_error_is_400_naming_it(client):
    bad = "SELECT * WHERE {\n  ?s ?p\n}}"
    try:
        ox.Store().query(bad)
    except SyntaxError as exc:
        engine_says = str(exc)
    body = assert_problem(client.get("/sparql", params={"query": bad}), 400, "SPARQL syntax error")
    assert body["detail"] == f"SPARQL syntax error: {engine_says}"  # positions are the query's own
    assert engine_says.startswith("error at 3:")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "POST", "content": "CLEAR ALL", "headers": {"content-type": "application/sparql-update"}},
        {
            "method": "POST",
            "content": "CLEAR ALL",
            "headers": {"content-type": "application/sparql-update; charset=UTF-16"},
        },
        {"method": "GET", "params": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}},
    ],
    ids=["form", "direct", "direct-utf16", "get", "form-with-query"],
)
def test_updates_are_403(client, request_kwargs):
    resp = client.request(url="/sparql", **request_kwargs)
    assert_problem(resp, 403, "SPARQL Update is not accepted")


def test_post_text_plain_is_415(client):
    resp = client.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"})
    assert_problem(resp, 415, "application/sparql-query")


def test_post_without_content_type_is_415(client):
    assert_problem(client.post("/sparql", content=b"query=ASK%20%7B%7D"), 415)


def test_post_non_utf8_charset_is_415(client):
    resp = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert_problem(resp, 415, "UTF-16")


def test_post_body_not_utf8_is_400(client):
    resp = client.post(
        "/sparql",
        content='ASK { FILTER("é") }'.encode("latin-1"),
        headers={"content-type": "application/sparql-query"},
    )
    assert_problem(resp, 400, "not UTF-8")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "params": [("query", "ASK {}"), ("query", "SELECT * {}")]},
        {"method": "POST", "params": {"query": "ASK {}"}, "data": {"query": "SELECT * {}"}},
        {
            "method": "POST",
            "params": {"query": "ASK {}"},
            "content": "ASK {}",
            "headers": {"content-type": "application/sparql-query"},
        },
        {"method": "GET", "params": [("query", "ASK {}"), ("format", "json"), ("format", "xml")]},
    ],
    ids=["get", "url-and-form", "url-and-direct", "two-formats"],
)
def test_repeated_parameters_are_400(client, request_kwargs):
    assert_problem(client.request(url="/sparql", **request_kwargs), 400)


@pytest.mark.parametrize(
    "query, keyword",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ],
)
def test_service_and_load_are_400(client, query, keyword):
    assert_problem(client.get("/sparql", params={"query": query}), 400, keyword)


def test_keywords_inside_strings_and_iris_are_not_refused(client):
    q = 'SELECT ?x WHERE { BIND("SERVICE and LOAD" AS ?x) FILTER(?x != <http://example.org/SERVICE>) }'
    resp = client.get("/sparql", params={"query": q})
    assert resp.status_code == 200, resp.text
    assert resp.json()["results"]["bindings"][0]["x"]["value"] == "SERVICE and LOAD"


def test_other_methods_are_405(client):
    assert_problem(client.put("/sparql", params={"query": "ASK {}"}), 405)
    assert_problem(client.delete("/sparql"), 405)


def test_release_headers_on_answers(client):
    resp = client.get("/sparql", params={"query": "ASK {}"})
    assert resp.headers["X-OTKG-Release"].startswith("https://w3id.org/otkg/releases/")
    assert resp.headers["ETag"]


def test_a_query_from_clause_selects_a_named_graph_of_the_store(client):
    query = (
        "SELECT (COUNT(?c) AS ?n) FROM <https://w3id.org/otkg/graph/external-clusters> "
        "WHERE { ?c a <https://w3id.org/otkg/ontology#CareCluster> }"
    )
    r = client.get("/sparql", params={"query": query, "format": "csv"})
    assert r.text.splitlines() == ["n", "21"]
