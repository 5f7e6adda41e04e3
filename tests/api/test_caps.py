"""/sparql cuts SELECT answers at the row cap and CONSTRUCT/DESCRIBE answers at the triple cap, and
says which cap cut it (issue 22: a CONSTRUCT was cut at the row cap, 10,000, not the 500,000
triples docs/operating.md states). Small caps keep it cheap."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.settings import Settings

ROW_CAP, TRIPLE_CAP = 5, 12
NT = {"accept": "application/n-triples"}
ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def client(build_dir):
    settings = Settings(
        build_dir=build_dir, store="memory", row_cap=ROW_CAP, triple_cap=TRIPLE_CAP, query_workers=1
    )
    with TestClient(create_app(settings=settings)) as c:
        yield c


def _triples(client: TestClient, query: str):
    r = client.get("/sparql", params={"query": query}, headers=NT)
    assert r.status_code == 200, r.text
    return [line for line in r.text.splitlines() if line.strip()], r.headers


def test_a_construct_over_the_row_cap_is_cut_at_the_triple_cap_and_says_so(client):
    # twice: the second run may be answered in process (kg.query.quick_jobs), under the same caps
    for _ in range(2):
        triples, headers = _triples(client, ALL)
        assert len(triples) == TRIPLE_CAP
        assert headers["x-otkg-truncated"] == "true" and headers["x-otkg-triple-cap"] == str(TRIPLE_CAP)
        assert "x-otkg-row-cap" not in headers  # the row cap did not cut it


def test_a_construct_between_the_caps_is_whole(client):
    triples, headers = _triples(client, ALL + f" LIMIT {TRIPLE_CAP - 1}")
    assert len(triples) == TRIPLE_CAP - 1 > ROW_CAP and "x-otkg-truncated" not in headers


def test_a_describe_is_capped_by_triples_too(client):
    one, headers = _triples(client, "DESCRIBE <https://w3id.org/otkg/id/cluster-14>")
    assert ROW_CAP < len(one) < TRIPLE_CAP and "x-otkg-truncated" not in headers
    many, headers = _triples(client, "DESCRIBE ?s WHERE { ?s ?p ?o }")
    assert len(many) == TRIPLE_CAP and headers["x-otkg-triple-cap"] == str(TRIPLE_CAP)


def test_a_select_is_still_cut_at_the_row_cap(client):
    r = client.get(
        "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"accept": "text/csv"}
    )
    assert r.text.count("\r\n") == ROW_CAP + 1  # the header and the rows
    assert r.headers["x-otkg-truncated"] == "true" and r.headers["x-otkg-row-cap"] == str(ROW_CAP)
    assert "x-otkg-triple-cap" not in r.headers
