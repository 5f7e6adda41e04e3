"""HTTP conventions (issue 12), in process: CORS for reads only, HEAD wherever GET, Cache-Control."""

from __future__ import annotations

from urllib.parse import quote

import pytest

ID = "https://w3id.org/otkg/id/"
ORIGIN = {"origin": "https://elsewhere.example"}
ASK = "/sparql?query=" + quote("ASK { ?s ?p ?o }")
READS = [
    ASK,
    "/queries/care-clusters",
    "/queries/care-clusters?format=csv&limit=2",
    "/id/cluster-14",
    "/trace?iri=" + quote(ID + "cluster-14", safe=""),
    "/search?q=crisis",
    "/queries",
    "/openapi.json",
    "/",
]


def preflight(client, path: str, method: str, headers: str = ""):
    asked = {"access-control-request-method": method, **ORIGIN}
    if headers:
        asked["access-control-request-headers"] = headers
    return client.options(path, headers=asked)


# --- CORS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/sparql", "/queries/care-clusters", "/id/cluster-14", "/trace", "/search", "/graph/local/my-trust"],
)  # reading an uploaded graph's description
def test_preflight_allows_cross_origin_reads(client, path):
    r = preflight(client, path, "GET", "Accept, If-None-Match")
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-allow-methods"].split(", ")[:2] == ["GET", "HEAD"]
    assert {"accept", "if-none-match"} <= set(r.headers["access-control-allow-headers"].split(", "))
    assert "access-control-allow-credentials" not in r.headers


def test_preflight_allows_a_direct_sparql_post(client):
    r = preflight(client, "/sparql", "POST", "content-type")
    assert r.status_code == 204 and "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"]
    assert (
        "POST"
        not in preflight(client, "/queries/care-clusters", "GET").headers["access-control-allow-methods"]
    )


@pytest.mark.parametrize(
    "path,method,headers",
    [
        ("/graph/local/my-trust", "PUT", "authorization, content-type"),
        ("/graph/local/my-trust", "PUT", ""),
        ("/graph/local/my-trust", "DELETE", ""),
        ("/sparql", "PUT", ""),
        ("/queries/care-clusters", "POST", ""),
        ("/sparql", "GET", "authorization"),  # a token never travels cross-origin
        ("/templates/care-package.xlsx", "GET", ""),  # not a query route
    ],
)
def test_preflight_refuses_writes_and_everything_else(client, path, method, headers):
    r = preflight(client, path, method, headers)
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Cross-origin request refused"
    assert not any(k.startswith("access-control-") for k in r.headers)


def test_simple_cross_origin_reads_are_allowed_and_expose_the_otkg_headers(client):
    r = client.get("/queries/care-clusters?limit=2", headers=ORIGIN)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"x-otkg-release", "x-otkg-query-sha256", "x-otkg-truncated", "link", "etag"} <= exposed
    assert "link" in r.headers and "x-otkg-query-sha256" in r.headers  # the ones a page wants are there
    r = client.post("/sparql", data={"query": "ASK {}"}, headers=ORIGIN)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    r = client.get("/id/not-a-thing", headers=ORIGIN)  # errors are readable by the page too
    assert r.status_code == 404 and r.headers["access-control-allow-origin"] == "*"


def test_writes_get_no_cors_allowance(client):
    for r in (
        client.put("/graph/local/my-trust", content=b"", headers={**ORIGIN, "content-type": "text/turtle"}),
        client.delete("/graph/local/my-trust", headers=ORIGIN),
    ):
        assert r.status_code in (401, 403)
        assert not any(k.startswith("access-control-") for k in r.headers)


def test_a_plain_options_request_is_not_a_preflight(client):
    r = client.options("/sparql")  # no Origin: the app answers it as any other method it lacks
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"


# --- HEAD ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", READS + ["/static/style.css", "/templates/care-package.xlsx"])
def test_head_answers_like_get_without_a_body(client, path):
    got, head = client.get(path), client.head(path)
    assert got.status_code == 200 and head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "cache-control", "x-otkg-release"):
        assert head.headers.get(name) == got.headers.get(name), name
    assert head.headers["content-length"] == str(len(got.content))


def test_head_errors_and_conditional_head(client):
    r = client.head("/id/not-a-thing")
    assert (
        r.status_code == 404 and r.content == b"" and r.headers["content-type"] == "application/problem+json"
    )
    assert client.head("/sparql?query=SELEC").status_code == 400
    etag = client.get("/id/cluster-14").headers["etag"]
    assert client.head("/id/cluster-14", headers={"if-none-match": etag}).status_code == 304


def test_html_pages_answer_head_too(client):
    browser = {"accept": "text/html"}
    for path in ("/sparql", "/queries/care-clusters", "/id/cluster-14"):
        r = client.head(path, headers=browser)
        assert r.status_code == 200 and r.content == b"" and r.headers["content-type"].startswith("text/html")


# --- Cache-Control -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", READS)
def test_successful_reads_are_cacheable_for_five_minutes(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=300" and r.headers["etag"]
    again = client.get(path, headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "public, max-age=300"


def test_if_none_match_may_list_several_tags_in_one_header_or_several(client):
    etag = client.get("/id/cluster-14").headers["etag"]
    listed = {"if-none-match": f'"0123", {etag}'}
    assert client.get("/id/cluster-14", headers=listed).status_code == 304
    repeated = [("if-none-match", etag), ("if-none-match", '"0123"')]
    assert client.get("/id/cluster-14", headers=repeated).status_code == 304
    assert client.get("/id/cluster-14", headers={"if-none-match": '"0123"'}).status_code == 200


def test_versioned_static_files_keep_their_own_cache_control(client):
    assert client.get("/static/style.css").headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "method,path,kwargs",
    [
        ("GET", "/id/not-a-thing", {}),
        ("GET", "/sparql?query=SELEC", {}),
        ("GET", "/queries/care-clusters?limit=0", {}),
        ("GET", "/queries/care-clusters", {"headers": {"accept": "image/png"}}),
        ("GET", "/sparql?query=" + "x" * 20000, {}),  # 414, answered before the app
        ("POST", "/sparql", {"data": {"query": "ASK {}"}}),
        ("PUT", "/graph/local/my-trust", {"content": b"", "headers": {"content-type": "text/turtle"}}),
        ("DELETE", "/graph/local/my-trust", {}),
    ],
)
def test_errors_and_writes_are_never_stored(client, method, path, kwargs):
    r = client.request(method, path, **kwargs)
    assert r.headers["cache-control"] == "no-store", (r.status_code, r.text[:200])
