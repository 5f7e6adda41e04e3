"""Repeated GET queries are answered from memory until the graph changes (api/response_cache.py)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit

import httpx
import pytest
from otkg.api.negotiation import request_header

NAMED = "/queries/cluster-by-code"


def test_a_repeated_query_is_a_hit_with_the_same_answer(live_server):
    first = httpx.get(live_server + NAMED, params={"code": "21", "format": "csv"})
    second = httpx.get(live_server + NAMED, params={"code": "21", "format": "csv"})
    assert first.status_code == second.status_code == 200
    assert (first.headers["x-otkg-cache"], second.headers["x-otkg-cache"]) == ("miss", "hit")
    assert (
        first.content == second.content
        and "Cognitive Impairment or Dementia (High Physical or Engagement)" in second.text
    )
    for h in ("etag", "x-otkg-query-sha256", "x-otkg-release", "content-type"):
        assert first.headers[h] == second.headers[h]
    assert second.headers["content-length"] == str(len(second.content))


def test_another_accept_is_another_entry(live_server):
    a = httpx.get(live_server + NAMED, params={"code": "20"}, headers={"accept": "text/csv"})
    b = httpx.get(
        live_server + NAMED, params={"code": "20"}, headers={"accept": "application/sparql-results+json"}
    )
    assert (a.headers["x-otkg-cache"], b.headers["x-otkg-cache"]) == ("miss", "miss")
    assert a.headers["content-type"].startswith("text/csv") and b.json()["results"]["bindings"]


def test_errors_are_never_cached(live_server):
    for _ in range(2):
        r = httpx.get(live_server + NAMED, params={"code": "fourteen"})
        assert r.status_code == 422 and r.headers.get("x-otkg-cache") != "hit"


def test_conditional_requests_still_get_304(live_server):
    first = httpx.get(live_server + NAMED, params={"code": "19"})
    again = httpx.get(
        live_server + NAMED, params={"code": "19"}, headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


# --- The cache keys on what made the answer (issue 22) -------------------------------------------

JSON = "application/sparql-results+json"


def raw_get(base: str, path: str, headers: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
    """A GET sending exactly these header lines, repeated ones and Host included (httpx adds its own)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if not any(k.lower() == "host" for k, _ in headers):
            conn.putheader("Host", parts.netloc)
        for k, v in headers:
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def kind(headers: dict[str, str], body: bytes) -> str:
    """What an answer is, checked from its body as well as its Content-Type."""
    ctype = headers["content-type"]
    if ctype.startswith(JSON):
        assert json.loads(body)["results"]["bindings"] is not None
        return "json"
    if ctype.startswith("text/csv"):
        assert body[:1] not in (b"{", b"<")
        return "csv"
    if ctype.startswith("text/html"):
        assert body.lstrip().lower().startswith(b"<!doctype html")
        return "html"
    return ctype


def test_a_repeated_accept_cannot_give_another_client_its_answer(live_server):
    """The report: Accept given twice was negotiated by its first line but stored under its last."""
    path = NAMED + "?code=7&limit=3"
    for _ in range(4):
        status, headers, body = raw_get(live_server, path, [("Accept", "text/csv"), ("Accept", JSON)])
        assert status == 200 and kind(headers, body) == "csv"  # both lines: the first is preferred
    status, headers, body = raw_get(live_server, path, [("Accept", JSON)])
    assert status == 200 and kind(headers, body) == "json"
    status, headers, body = raw_get(live_server, path, [("Accept", "text/csv")])
    assert kind(headers, body) == "csv"


# Requests a client could send to fill the cache with the wrong thing: Accept, format and Host repeated
# in every order, and the forwarded scheme uvicorn honours from a trusted proxy (here, loopback).
TRICKS = [
    [("Accept", "text/csv"), ("Accept", JSON)],
    [("Accept", JSON), ("Accept", "text/csv")],
    [("Accept", "text/csv;q=0.1"), ("Accept", JSON)],
    [("Accept", "text/html"), ("Accept", JSON)],
    [("Accept", JSON), ("Accept", "text/html")],
    [("Accept", "text/html"), ("Accept", "text/csv")],
    [("Accept", "text/csv, " + JSON)],
    [("Accept", "")],
    [("Accept", "text/csv"), ("Accept", "")],
    [("Accept", "text/csv")],
    [("Accept", "text/html")],
]
CLIENTS = {  # a normal client's one Accept -> the kind of answer it must get
    JSON: "json",
    "application/json": "json",
    "text/csv": "csv",
    "*/*": "json",
    "text/html,application/xhtml+xml,*/*;q=0.8": "html",
}


@pytest.mark.parametrize(
    "path",
    [
        NAMED + "?code=6",
        NAMED + "?code=6&format=csv&format=json",  # refused (400), never stored
        NAMED + "?limit=2&code=6",
        "/sparql?query=" + quote("SELECT ?c WHERE { ?c a ?k } LIMIT 2"),
    ],
)
def test_after_any_tricky_requests_a_client_gets_what_it_asked_for(live_server, path):
    for trick in TRICKS:
        for _ in range(2):  # the second is served from the cache if the first was stored
            raw_get(live_server, path, trick)
    for accept, expected in CLIENTS.items():
        status, headers, body = raw_get(live_server, path, [("Accept", accept)])
        if "format=csv&format=json" in path:
            assert status == 400
            continue
        assert status == 200 and kind(headers, body) == expected, (accept, headers)
        if "/sparql" in path or expected == "html":
            continue
        assert raw_get(live_server, path, [("Accept", accept)])[1]["x-otkg-cache"] == "hit"


def test_a_repeated_format_parameter_is_its_own_entry(live_server):
    """The whole query string is in the key: `format` given twice never answers for it given once."""
    base = "/sparql?query=" + quote("SELECT ?c WHERE { ?c a ?k } LIMIT 3")
    for _ in range(2):
        status, _, _ = raw_get(live_server, base + "&format=csv&format=json", [])
        assert status == 400  # two different formats: refused
        status, headers, body = raw_get(live_server, base + "&format=csv&format=text/csv", [])
        assert status == 200 and kind(headers, body) == "csv"
    for fmt, expected in (("json", "json"), ("csv", "csv")):
        status, headers, body = raw_get(live_server, base + "&format=" + fmt, [("Accept", "text/csv")])
        assert kind(headers, body) == expected


RELATIVE = "/sparql?query=" + quote("SELECT ?x WHERE { BIND(<here> AS ?x) }")  # resolved on the endpoint


def bound(live_server: str, headers: list[tuple[str, str]]) -> str:
    status, _, body = raw_get(live_server, RELATIVE, [("Accept", JSON), *headers])
    assert status == 200, body
    return json.loads(body)["results"]["bindings"][0]["x"]["value"]


def test_the_endpoint_iri_in_an_answer_is_the_clients_own(live_server):
    """A query's relative IRIs resolve against the endpoint's IRI, made from the first Host and the
    scheme: another Host, a second Host line or another scheme is another entry."""
    own = urlsplit(live_server).netloc
    tricks = [
        [("Host", "elsewhere.example")],
        [("Host", "elsewhere.example"), ("Host", own)],
        [("Host", own), ("Host", "elsewhere.example")],
        [("X-Forwarded-Proto", "https")],
    ]
    for trick in tricks:
        for _ in range(2):
            raw_get(live_server, RELATIVE, [("Accept", JSON), *trick])
    assert bound(live_server, []) == f"http://{own}/here"
    assert bound(live_server, [("Host", "elsewhere.example")]) == "http://elsewhere.example/here"
    assert bound(live_server, [("X-Forwarded-Proto", "https")]) == f"https://{own}/here"


def test_request_header_reads_every_line_as_one_list():
    headers = [(b"accept", b"text/csv"), (b"host", b"a"), (b"accept", b"application/json;q=0.5")]
    assert request_header(headers, b"accept") == "text/csv, application/json;q=0.5"
    assert request_header(headers, b"host") == "a"
    assert request_header(headers, b"accept-language") is None


def test_negotiation_weighs_every_accept_line(client):
    """Two Accept lines are one list (RFC 9110 5.3), the first no longer wins by being first."""
    both = [("accept", "text/turtle;q=0.1"), ("accept", "application/ld+json")]
    assert (
        client.get("/id/cluster-14", headers=both).headers["content-type"].startswith("application/ld+json")
    )
    named = NAMED + "?code=5"
    r = client.get(named, headers=[("accept", "text/csv;q=0.2"), ("accept", JSON)])
    assert r.headers["content-type"].startswith(JSON)
    page = [("accept", "application/xhtml+xml"), ("accept", "text/csv;q=0.5")]
    assert client.get(named, headers=page).headers["content-type"].startswith("text/html")
    data = [("accept", "text/csv"), ("accept", "text/html")]
    assert client.get(named, headers=data).headers["content-type"].startswith("text/csv")
