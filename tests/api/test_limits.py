"""Deadlines, the row cap and per-client budgets, through a real uvicorn server (issue 5)."""

from __future__ import annotations

import threading

import httpx
import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.settings import Settings

from .conftest import uvicorn_server

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = (
    "SELECT ?l WHERE { <https://w3id.org/otkg/id/cluster-14> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
)
CSV = {"accept": "text/csv"}


def client_at(address: str) -> httpx.Client:
    """An HTTP client whose requests come from another loopback address: another client to the API."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


@pytest.fixture(scope="module")
def strict_server(build_dir, tmp_path_factory):
    with uvicorn_server(
        build_dir,
        tmp_path_factory.mktemp("strict"),
        query_deadline=3,  # a light query measured in a low-priority worker on a loaded box fits
        row_cap=5,
        # a budget a runaway query spends with a fraction of its second of CPU, however loaded the machine
        client_budget_s=0.02,
        client_refill_per_s=0.002,
        client_free_s=0.02,
    ) as url:
        yield url


def test_a_runaway_query_times_out_while_others_are_served_then_its_client_is_throttled(strict_server):
    heavy = {}

    def run_heavy():
        with client_at("127.0.0.2") as c:
            heavy["resp"] = c.get(strict_server + "/sparql", params={"query": CARTESIAN})

    t = threading.Thread(target=run_heavy)
    t.start()
    light = []
    with client_at("127.0.0.3") as c:
        while t.is_alive() or not light:  # answered while the runaway query runs
            r = c.get(strict_server + "/sparql", params={"query": LIGHT}, headers=CSV)
            light.append((r.status_code, r.text))
    t.join()
    assert all(status == 200 and text == "l\r\nPsychotic Crisis\r\n" for status, text in light), light
    resp = heavy["resp"]  # stopped by its deadline
    assert resp.status_code == 503 and resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["title"] == "Query timed out" and "3 s deadline" in resp.json()["detail"]
    # The runaway query spent that client's budget of slow time: it is told when to come back
    # (for any query not answered from the response cache) ...
    with client_at("127.0.0.2") as c:
        r = c.get(strict_server + "/sparql", params={"query": LIGHT.replace("?l", "?label")}, headers=CSV)
    assert r.status_code == 429 and r.json()["title"] == "Too many requests"
    assert int(r.headers["retry-after"]) >= 5
    # ... while everyone else is not.
    with client_at("127.0.0.3") as c:
        assert c.get(strict_server + "/sparql", params={"query": LIGHT}, headers=CSV).status_code == 200


def test_row_cap_cuts_the_answer_and_says_so(strict_server):
    r = httpx.get(strict_server + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers=CSV)
    assert r.status_code == 200
    assert r.text.count("\r\n") == 6  # header and 5 rows
    assert r.headers["x-otkg-truncated"] == "true" and r.headers["x-otkg-row-cap"] == "5"


def test_an_answer_within_the_cap_is_not_marked(strict_server):
    r = httpx.get(
        strict_server + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"}, headers=CSV
    )
    assert r.status_code == 200 and r.text.count("\r\n") == 6
    assert "x-otkg-truncated" not in r.headers


def test_named_queries_have_their_own_deadline(build_dir):
    app = create_app(
        settings=Settings(build_dir=build_dir, store="memory", named_query_deadline=0.0001, query_workers=1)
    )
    with TestClient(app) as c:
        r = c.get("/queries/care-clusters")
        assert r.status_code == 503 and r.json()["title"] == "Query timed out"
        assert "0.0001 s deadline" in r.json()["detail"]
        # raw SPARQL keeps its 10 s
        ok = c.get("/sparql", params={"query": LIGHT}, headers=CSV)
        assert ok.status_code == 200 and ok.text == "l\r\nPsychotic Crisis\r\n"


def test_a_url_over_the_cap_is_414(live_server):
    r = httpx.get(live_server + "/sparql", params={"query": "ASK {}" + " " * 40000})
    assert r.status_code == 414 and r.headers["content-type"] == "application/problem+json"
    assert "POST" in r.json()["detail"]
    # the same query by POST is accepted
    assert httpx.post(live_server + "/sparql", data={"query": "ASK {}" + " " * 40000}).json() == {
        "head": {},
        "boolean": True,
    }


@pytest.mark.parametrize("value", ["cluster\u202e41", "\u200fcluster", "a\u2066b"])
def test_bidirectional_controls_in_a_parameter_are_422(live_server, value):
    r = httpx.get(live_server + "/queries/entity-label-search", params={"text": value})
    assert r.status_code == 422 and r.json()["parameter"] == "text"
    assert "bidirectional" in r.json()["detail"]
