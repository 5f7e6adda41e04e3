"""Security headers (issue 22): nosniff and a Referrer-Policy on every answer, a restrictive CSP on
every answer that is not a page, the pages' own CSP kept; If-None-Match compared weakly."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from otkg.api import docs, service
from otkg.api.pages import editor, render

NOSNIFF = "nosniff"
REFERRER = "strict-origin-when-cross-origin"
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ORIGIN = {"origin": "https://elsewhere.example"}
SELECT = "/sparql?query=" + quote("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2")
NAMED = "/queries/cluster-by-code?code=7&limit=3"


def assert_secured(r, csp: str = API_CSP) -> None:
    """Each header once (a second CSP would be enforced as well), with the value expected."""
    assert r.headers.get_list("x-content-type-options") == [NOSNIFF], r.headers
    assert r.headers.get_list("referrer-policy") == [REFERRER], r.headers
    assert r.headers.get_list("content-security-policy") == [csp], r.headers


def etag_of(client, path: str, **kwargs) -> str:
    r = client.get(path, **kwargs)
    assert r.status_code == 200
    return r.headers["etag"]


ANSWERS = {
    "home JSON": lambda c: c.get("/"),
    "sparql JSON": lambda c: c.get(SELECT, headers={"accept": "application/sparql-results+json"}),
    "sparql CSV": lambda c: c.get(SELECT + "&format=csv"),
    "sparql Turtle": lambda c: c.get(
        "/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"), headers={"accept": "text/turtle"}
    ),
    "named query": lambda c: c.get("/queries/care-clusters?limit=2"),
    "named query, cached hit": lambda c: (c.get(NAMED), c.get(NAMED))[1],
    "entity JSON-LD": lambda c: c.get("/id/cluster-14", headers={"accept": "application/ld+json"}),
    "404 problem": lambda c: c.get("/id/not-a-thing"),
    "422 problem, hot route": lambda c: c.get("/queries/cluster-by-code?code=fourteen"),
    "400 problem, /sparql": lambda c: c.get("/sparql?query=SELEC"),
    "405 problem": lambda c: c.options("/sparql"),
    "414 problem": lambda c: c.get("/sparql?query=" + "x" * 40000),
    "406 problem": lambda c: c.get("/queries/care-clusters", headers={"accept": "image/png"}),
    "304": lambda c: c.get("/id/cluster-14", headers={"if-none-match": etag_of(c, "/id/cluster-14")}),
    "304, hot route": lambda c: c.get(NAMED, headers={"if-none-match": etag_of(c, NAMED)}),
    "HEAD": lambda c: c.head("/queries/care-clusters?limit=2"),
    "HEAD, error": lambda c: c.head("/id/not-a-thing"),
    "POST /sparql": lambda c: c.post("/sparql", data={"query": "ASK {}"}),
    "preflight": lambda c: c.options("/sparql", headers={**ORIGIN, "access-control-request-method": "GET"}),
    "preflight, refused": lambda c: c.options(
        "/graph/local/x", headers={**ORIGIN, "access-control-request-method": "PUT"}
    ),
    "cross-origin read": lambda c: c.get("/queries/care-clusters?limit=2", headers=ORIGIN),
    "write refused": lambda c: c.delete("/graph/local/my-trust"),
    "static file": lambda c: c.get("/static/style.css"),
    "openapi": lambda c: c.get("/openapi.json"),
    "void": lambda c: c.get("/.well-known/void"),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_every_answer_that_is_not_a_page_gets_the_restrictive_csp(client, answer):
    r = answer(client)
    assert not r.headers.get("content-type", "").startswith("text/html"), r.status_code
    assert_secured(r)


def test_the_kinds_of_answer_are_what_their_names_say(client):
    """The list above covers what it claims: a hit, a 304, a preflight, the 414 and the error kinds."""
    got = {name: answer(client) for name, answer in ANSWERS.items()}
    assert got["named query, cached hit"].headers["x-otkg-cache"] == "hit"
    assert got["304"].status_code == got["304, hot route"].status_code == 304
    assert got["preflight"].status_code == 204 and got["preflight, refused"].status_code == 403
    statuses = {n: got[n].status_code for n in ANSWERS if n[:3].isdigit() and " problem" in n}
    assert statuses == {n: int(n[:3]) for n in statuses}
    assert got["sparql CSV"].headers["content-type"].startswith("text/csv")
    assert got["sparql Turtle"].headers["content-type"].startswith("text/turtle")


PAGES = ["/", "/id/cluster-14", "/sparql", NAMED, "/queries", "/search?q=crisis", "/matrix", "/nowhere"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_keep_their_own_csp(client, path):
    r = client.get(path, headers=BROWSER)
    assert r.headers["content-type"].startswith("text/html")
    assert_secured(r, editor.csp() if path == "/sparql" else render.CSP)  # the editor alone may run script


def test_a_page_revalidated_keeps_its_csp(client):
    """A 304's headers replace the stored ones: it must not carry the API's CSP for a page."""
    for path in ("/id/cluster-14", NAMED):
        etag = etag_of(client, path, headers=BROWSER)
        r = client.get(path, headers={**BROWSER, "if-none-match": etag})
        assert r.status_code == 304
        assert_secured(r, render.CSP)
        assert_secured(client.head(path, headers=BROWSER), render.CSP)


def test_a_cached_page_keeps_its_csp(client):
    path = "/queries/cluster-by-code?code=8"
    client.get(path, headers=BROWSER)
    r = client.get(path, headers=BROWSER)
    assert r.headers["x-otkg-cache"] == "hit" and r.headers["content-type"].startswith("text/html")
    assert_secured(r, render.CSP)


def test_the_api_documentation_keeps_its_csp(client):
    for path in ("/docs", "/redoc"):
        assert_secured(client.get(path), docs.CSP)


@pytest.fixture
def failing(client, monkeypatch):
    """The same app, with two reads broken, and unhandled errors answered rather than raised."""

    async def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(service, "search", broken)  # an ordinary route
    monkeypatch.setattr(service, "run_named", broken)  # a hot route
    return TestClient(client.app, raise_server_exceptions=False)


# a query no other test asks, so that no cached answer stands in for the failure
@pytest.mark.parametrize("path", ["/search?q=crisis", "/queries/cluster-by-code?code=9&limit=1"])
def test_the_last_resort_500_has_them_too(failing, path):
    r = failing.get(path)
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert_secured(r)


def test_the_last_resort_500_page_keeps_the_pages_csp(failing):
    page = failing.get("/search?q=crisis", headers=BROWSER)
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert_secured(page, render.CSP)


# --- If-None-Match, compared weakly (RFC 9110 13.1.2) -------------------------------------------


@pytest.mark.parametrize("path", ["/id/cluster-14", NAMED, SELECT, "/"])
def test_a_weak_tag_matches_its_strong_etag(client, path):
    etag = etag_of(client, path)
    assert etag.startswith('"')
    for given in ("W/" + etag, f'"0123", W/{etag}', "*", etag):
        r = client.get(path, headers={"if-none-match": given})
        assert r.status_code == 304 and r.content == b"", given
        assert r.headers["etag"] == etag
    for given in ('W/"0123"', '"0123"', "W/" + etag[:-2] + '"', "w/" + etag, etag.strip('"')):
        assert client.get(path, headers={"if-none-match": given}).status_code == 200, given


def test_a_weak_tag_in_a_repeated_header_matches(client):
    etag = etag_of(client, NAMED)
    both = [("if-none-match", '"0123"'), ("if-none-match", "W/" + etag)]
    assert client.get(NAMED, headers=both).status_code == 304
    assert client.head(NAMED, headers={"if-none-match": "W/" + etag}).status_code == 304
