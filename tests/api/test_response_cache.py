"""Repeated GET queries are answered from memory until the graph changes (api/response_cache.py)."""

from __future__ import annotations

import httpx

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
