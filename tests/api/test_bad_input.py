"""Bad input gets a clear 4xx problem+json naming what was wrong, never a 500, through real uvicorn."""
import httpx
import pytest

BIG = "x" * 70000
CASES = [
    # (id, method, path, params, headers, body, expected status, text the detail must contain)
    ("unknown-query", "GET", "/queries/no-such-query", {}, {}, None, 404, "no named query"),
    ("query-name-traversal", "GET", "/queries/..%2F..%2Fetc%2Fpasswd", {}, {}, None, 404, ""),
    ("integer-not-a-number", "GET", "/queries/cluster-by-code", {"code": "abc"}, {}, None, 422, "'code'"),
    ("integer-too-long", "GET", "/queries/cluster-by-code", {"code": "9" * 40}, {}, None, 422, "'code'"),
    ("required-missing", "GET", "/queries/cluster-by-code", {}, {}, None, 422, "'code': is required"),
    ("iri-javascript", "GET", "/queries/evidence-for-entity", {"entity": "javascript:alert(1)"}, {}, None, 422,
     "'entity'"),
    ("iri-file", "GET", "/queries/evidence-for-entity", {"entity": "file:///etc/passwd"}, {}, None, 422, "'entity'"),
    ("iri-space", "GET", "/queries/evidence-for-entity", {"entity": "https://w3id.org/otkg/id/a b"}, {}, None, 422,
     "space"),
    ("iri-angle-injection", "GET", "/queries/evidence-for-entity",
     {"entity": "https://x/> } ; DROP ALL ; <https://y"}, {}, None, 422, "'entity'"),
    ("string-too-long", "GET", "/queries/entity-label-search", {"text": "x" * 101}, {}, None, 422, "'text'"),
    ("string-nul", "GET", "/queries/entity-label-search", {"text": "a\x00b"}, {}, None, 422, "NUL"),
    ("enum-not-allowed", "GET", "/queries/policy-sources-of-kind", {"kind": "Nope"}, {}, None, 422, "'kind'"),
    ("unknown-param", "GET", "/queries/care-clusters", {"foo": "1"}, {}, None, 422, "'foo'"),
    ("limit-zero", "GET", "/queries/care-clusters", {"limit": "0"}, {}, None, 422, "'limit'"),
    ("limit-huge", "GET", "/queries/care-clusters", {"limit": "100000"}, {}, None, 422, "'limit'"),
    ("offset-negative", "GET", "/queries/care-clusters", {"offset": "-1"}, {}, None, 422, "'offset'"),
    ("limit-not-int", "GET", "/queries/care-clusters", {"limit": "ten"}, {}, None, 422, "'limit'"),
    ("format-unknown", "GET", "/queries/care-clusters", {"format": "png"}, {}, None, 406, "png"),
    ("accept-unknown", "GET", "/queries/care-clusters", {}, {"accept": "image/png"}, None, 406, "offers"),
    ("trace-not-otkg-iri", "GET", "/trace", {"iri": "not an iri"}, {}, None, 422, "'iri'"),
    ("trace-unknown-entity", "GET", "/trace", {"iri": "https://w3id.org/otkg/id/nope"}, {}, None, 404, "nope"),
    ("search-empty", "GET", "/search", {"q": ""}, {}, None, 422, "q"),
    ("search-too-long", "GET", "/search", {"q": "y" * 201}, {}, None, 422, "q"),
    ("entity-path-traversal", "GET", "/id/..%2F..%2Fetc%2Fpasswd", {}, {}, None, 404, ""),
    ("entity-unknown", "GET", "/id/no-such-entity", {}, {}, None, 404, "no-such-entity"),
    ("sparql-syntax", "GET", "/sparql", {"query": "SELEC * WHERE"}, {}, None, 400, "syntax"),
    ("sparql-too-large", "POST", "/sparql", {}, {"content-type": "application/sparql-query"},
     ("SELECT * WHERE { ?s ?p ?o } #" + BIG).encode(), 413, "characters"),
    ("sparql-not-utf8", "POST", "/sparql", {}, {"content-type": "application/sparql-query"}, b"\xff\xfe\x00", 400,
     "UTF-8"),
    ("sparql-update-form", "POST", "/sparql", {}, {"content-type": "application/x-www-form-urlencoded"},
     b"update=DROP+ALL", 403, "Update"),
    ("sparql-service", "GET", "/sparql", {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, {},
     None, 400, "SERVICE"),
    ("sparql-deep-nesting", "POST", "/sparql", {}, {"content-type": "application/sparql-query"},
     ("ASK " + "{" * 2500 + "}" * 2500).encode(), 400, "nests 2500 levels"),
    ("sparql-nesting-in-parentheses", "GET", "/sparql", {"query": "ASK { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }"},
     {}, None, 400, "at most 128"),
    ("sparql-update-in-query", "GET", "/sparql", {"query": "DROP ALL"}, {}, None, 400, "syntax"),
    ("sparql-load", "GET", "/sparql", {"query": "LOAD <http://127.0.0.1:9/x>"}, {}, None, 400, "LOAD"),
    ("sparql-content-type-confusion", "POST", "/sparql", {}, {"content-type": "application/json"},
     b'{"query": "ASK {}"}', 415, "Content-Type"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_problem_json_4xx(live_server, case):
    _, method, path, params, headers, body, status, needle = case
    r = httpx.request(method, live_server + path, params=params, headers=headers, content=body, timeout=30)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == status and problem["title"]
    assert needle in problem["detail"]


def test_an_injection_attempt_is_bound_as_a_value_and_changes_nothing(live_server):
    count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "csv"}
    before = httpx.get(live_server + "/sparql", params=count).text
    r = httpx.get(live_server + "/queries/entity-label-search", params={"text": 'x" } ; DROP ALL ; #'},
                  headers={"accept": "text/csv"})
    assert r.status_code == 200 and r.text.splitlines() == ["text,entity,label,class"]
    assert httpx.get(live_server + "/sparql", params=count).text == before


def test_a_query_nested_at_the_limit_still_runs(live_server):
    query = "ASK " + "{" * 128 + "}" * 128
    r = httpx.get(live_server + "/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_from_never_fetches_it_names_a_graph_in_the_store(live_server):
    query = "SELECT (COUNT(*) AS ?n) FROM <http://127.0.0.1:9/never-fetched> WHERE { ?s ?p ?o }"
    r = httpx.get(live_server + "/sparql", params={"query": query, "format": "csv"}, timeout=10)
    assert r.status_code == 200 and r.text.splitlines() == ["n", "0"]
