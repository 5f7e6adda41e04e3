"""Cached answers over a remote store follow its data: a change made through the server's own
endpoint shows in the API's answer within the bound the settings state (kg.store.remote_store)."""

import time

import httpx
import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.settings import Settings
from otkg.kg.store.remote_store import RemoteError, RemoteGeneration

GRAPH = "https://w3id.org/otkg/graph/test-freshness"
QUERY = {"query": "SELECT ?o WHERE { <urn:otkg:test:s> <urn:otkg:test:p> ?o }", "format": "csv"}
CHECK, MAX_AGE, NEVER = 0.5, 1.0, 3600.0  # the settings' bounds, in seconds, small for the test


@pytest.fixture
def changed_graph(oxigraph_server):
    """Writes GRAPH on the shared `oxigraph serve` through its Graph Store endpoint; removes it after."""
    url = f"{oxigraph_server.store_url}?graph={GRAPH}"

    def put(value: str) -> None:
        body = f'<urn:otkg:test:s> <urn:otkg:test:p> "{value}" .\n'
        r = httpx.put(url, content=body, headers={"content-type": "application/n-triples"})
        assert r.status_code in (201, 204)

    yield put
    httpx.delete(url)


@pytest.fixture
def remote_app(oxigraph_server, build_dir):
    """An API over the shared `oxigraph serve` with the given freshness bounds."""

    def client(check: float, max_age: float) -> TestClient:
        settings = Settings(
            build_dir=build_dir,
            store="remote",
            sparql_url=oxigraph_server.query_url,
            remote_check_seconds=check,
            remote_max_age_seconds=max_age,
        )
        return TestClient(create_app(settings=settings))

    return client


def _answer(client) -> tuple[str, str]:
    r = client.get("/sparql", params=QUERY)
    assert r.status_code == 200
    rows = r.text.splitlines()[1:]  # CSV: a header line, then one line per row
    return (rows[0] if rows else ""), r.headers["x-otkg-cache"]


@pytest.mark.slow
def test_a_change_of_the_quad_count_shows_within_check_seconds(remote_app, changed_graph):
    with remote_app(CHECK, NEVER) as client:
        assert _answer(client)[0] == ""
        time.sleep(CHECK)  # a probe that finds the data unchanged keeps what is cached
        assert _answer(client) == ("", "hit")
        changed_graph("one")  # a triple more
        time.sleep(CHECK)
        assert _answer(client) == ("one", "miss")
        assert _answer(client) == ("one", "hit")
        changed_graph("two")  # the same count: the probe cannot see this edit ...
        time.sleep(CHECK)
        assert _answer(client) == ("one", "hit")


@pytest.mark.slow
def test_any_change_shows_within_max_age_seconds(remote_app, changed_graph):
    changed_graph("one")
    with remote_app(NEVER, MAX_AGE) as client:
        assert _answer(client) == ("one", "miss")
        changed_graph("two")  # ... the cache's lifetime bounds it
        time.sleep(MAX_AGE)
        assert _answer(client) == ("two", "miss")


def test_a_failed_probe_gives_a_generation_never_seen_before():
    def down():
        raise RemoteError("the server answered 503")

    gen = RemoteGeneration(down, check_seconds=0, max_age_seconds=0)
    seen = {gen.current() for _ in range(3)}
    assert len(seen) == 3


def test_the_generation_is_probed_at_most_every_check_seconds():
    calls = []
    gen = RemoteGeneration(lambda: calls.append(1) or len(calls), check_seconds=3600, max_age_seconds=0)
    assert gen.current() == gen.current() == "1.0"
    assert calls == [1]
