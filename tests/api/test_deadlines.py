"""No query escapes its deadline (issue 22, item 0): a query whose cost changes with the clock is cheap
while it is learned and dear after, yet it is stopped at its deadline, by POST and by GET with an
unknown extra parameter (which a response cache would not recognise), while another client is
answered. Through a real uvicorn server over the real graph."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from .conftest import uvicorn_server
from .test_limits import client_at

CSV = {"accept": "text/csv"}


def clock_query(turns_dear: datetime) -> str:
    """A COUNT over a cartesian join that is empty until `turns_dear`, then hundreds of millions of rows."""
    t = turns_dear.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        "SELECT (COUNT(*) AS ?n) WHERE { "
        f'{{ BIND(NOW() AS ?now) FILTER(?now >= "{t}"^^xsd:dateTime) }} '
        "?a ?b ?c . ?d rdfs:label ?f }"
    )


@pytest.fixture(scope="module")
def server(build_dir, tmp_path_factory):
    with uvicorn_server(
        build_dir, tmp_path_factory.mktemp("deadlines"), query_deadline=1, client_budget_s=1000
    ) as url:
        yield url


def test_a_query_that_turns_dear_with_the_clock_is_stopped_at_its_deadline(server):
    turns_dear = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
    query = clock_query(turns_dear)
    with client_at("127.0.3.1") as c:
        learned = [c.post(server + "/sparql", data={"query": query}, headers=CSV) for _ in range(4)]
    # learned while cheap (a loaded machine may already be past the time: then they were stopped)
    assert {r.status_code for r in learned} <= {200, 503}
    assert all(r.text == "n\r\n0\r\n" for r in learned if r.status_code == 200)
    time.sleep(max(0.0, (turns_dear - datetime.now(UTC)).total_seconds()) + 0.5)

    answers: dict[str, object] = {}

    def attack(i: int) -> None:
        with client_at("127.0.3.1") as c:
            if i < 4:
                answers[f"post {i}"] = c.post(server + "/sparql", data={"query": query}, headers=CSV)
            else:  # the same query by GET, with a parameter the endpoint does not know
                answers["get"] = c.get(server + "/sparql", params={"query": query, "x": "1"}, headers=CSV)

    attackers = [threading.Thread(target=attack, args=(i,)) for i in range(5)]
    for t in attackers:
        t.start()
    others = []
    with client_at("127.0.3.2") as c:
        while any(t.is_alive() for t in attackers):
            others.append(c.get(server + "/queries/cluster-by-code?code=14&format=csv"))
    for t in attackers:
        t.join()
    for name, r in answers.items():
        assert r.status_code == 503, (name, r.status_code, r.text[:200])
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["title"] in ("Query timed out", "Busy"), name  # stopped, or never started
    assert any(r.json()["title"] == "Query timed out" for r in answers.values())
    assert others and all(r.status_code == 200 and "Psychotic Crisis" in r.text for r in others)
