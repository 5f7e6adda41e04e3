"""A query is bounded in memory and in the bytes of its answer (issue 22, items 1 and 2): past
either it gets a 503 problem naming the limit, while other clients are answered. Through a real
uvicorn server over the real graph."""

from __future__ import annotations

import threading

import pytest

from tests.kg.test_query_pool import doubling

from .conftest import uvicorn_server
from .test_limits import client_at

CSV = {"accept": "text/csv"}


@pytest.fixture(scope="module")
def server(build_dir, tmp_path_factory):
    with uvicorn_server(
        build_dir,
        tmp_path_factory.mktemp("bounds"),
        query_memory_mb=64,
        answer_max_mb=1,
        client_budget_s=1000,
    ) as url:
        yield url


def test_a_query_doubling_a_string_is_stopped_at_its_memory_limit_while_others_are_answered(server):
    stopped = {}

    def attack():
        with client_at("127.0.4.1") as c:
            stopped["r"] = c.post(server + "/sparql", data={"query": doubling(20)}, headers=CSV)

    t = threading.Thread(target=attack)
    t.start()
    others = []
    with client_at("127.0.4.2") as c:
        while t.is_alive() or not others:
            others.append(c.get(server + "/queries/cluster-by-code?code=14&format=csv"))
    t.join()
    r = stopped["r"]
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Query used too much memory" and "64 MiB" in r.json()["detail"]
    assert all(o.status_code == 200 and "Psychotic Crisis" in o.text for o in others)
    with client_at("127.0.4.1") as c:  # its worker was replaced: the next query is answered
        assert c.get(server + "/queries/cluster-by-code?code=14&format=csv").status_code == 200


@pytest.mark.parametrize("accept", ["text/csv", "application/sparql-results+json"])
def test_an_answer_over_the_byte_limit_is_a_problem_not_a_body(server, accept):
    with client_at("127.0.4.3") as c:
        r = c.post(server + "/sparql", data={"query": doubling(11, "?x{n}")}, headers={"accept": accept})
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Answer too large" and "1 MiB limit" in r.json()["detail"]
