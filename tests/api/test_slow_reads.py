"""Every read, pages included, runs under the execution policy (issue 13): a slow evidence trace is
stopped at its deadline with a 503 problem while other clients are answered at once, and a client
that spent its budget gets 429, on pages too. Through a real uvicorn server over the real graph
plus one entity with 60,000 claims, whose trace takes several seconds."""

from __future__ import annotations

import shutil
import threading
import time
from urllib.parse import quote

import pytest

from .conftest import uvicorn_server
from .test_limits import CSV, client_at

ID = "https://w3id.org/otkg/id/"
OA, OTKG = "http://www.w3.org/ns/oa#", "https://w3id.org/otkg/ontology#"
BIG = ID + "big-entity"
CLAIMS = 60000
HTML = {"accept": "text/html"}


def _claims(n: int) -> str:
    """n claims about BIG, each quoting a passage of doc-001, in a graph of their own."""
    g, lines = "<https://w3id.org/otkg/graph/test-big>", []
    for i in range(n):
        c, t, q = f"<{ID}big-claim-{i}>", f"<{ID}big-target-{i}>", f"<{ID}big-selector-{i}>"
        lines += [
            f"{c} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OTKG}Claim> {g} .",
            f"{c} <{OA}hasBody> <{BIG}> {g} .",
            f"{c} <{OA}hasTarget> {t} {g} .",
            f"{t} <{OA}hasSource> <{ID}doc-001> {g} .",
            f"{t} <{OA}hasSelector> {q} {g} .",
            f'{q} <{OA}exact> "quote {i}" {g} .',
            # context and a position as real quotes have: more for the trace to read and sort per
            # claim (so that it cannot end within the deadline on a quiet box), nothing for a
            # description of BIG, which reads only the claims' links to it
            f'{q} <{OA}prefix> "before {i}" {g} .',
            f'{q} <{OA}suffix> "after {i}" {g} .',
            f"{t} <{OA}hasSelector> <{ID}big-position-{i}> {g} .",
            f'<{ID}big-position-{i}> <{OA}start> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .',
            f'<{ID}big-position-{i}> <{OA}end> "{i + 7}"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .',
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def slow_server(build_dir, tmp_path_factory):
    big = tmp_path_factory.mktemp("big-build")
    for f in build_dir.iterdir():
        if f.is_file():
            shutil.copy(f, big / f.name)
    with open(big / "otkg.nq", "a", encoding="utf-8") as out:
        out.write(_claims(CLAIMS))
    with uvicorn_server(
        big,
        tmp_path_factory.mktemp("slow"),
        read_deadline=2,  # a quick trace in a low-priority worker on a loaded box fits; the big one does not
        query_workers=2,
        # spent by a fraction of the CPU the slow trace gets in 2 s however loaded the machine, never
        # by a page's reads (a few tens of ms)
        client_budget_s=0.1,
        client_refill_per_s=0.001,
        client_free_s=0.1,
        response_cache_mb=0,
        # read from disk, as a store past the memory threshold is: in memory the big trace can end
        # within the deadline on a quiet box, and the test needs one that cannot
        worker_memory_mb=0,
    ) as url:
        _wait_for_both_workers(url)
        yield url


def _wait_for_both_workers(url: str) -> None:
    """The server answers once one query worker is up; the test needs both. They are up when a quick
    query is answered while another client's query holds a worker for most of a second."""
    holder = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?a WHERE {{ ?a <{OA}hasBody> <{BIG}> }} LIMIT 3000 }} "
        f"{{ SELECT ?b WHERE {{ ?b <{OA}hasBody> <{BIG}> }} LIMIT 3000 }} }}"
    )
    for attempt in range(1, 120):  # each from new addresses: the holder spends its client's budget

        def hold(address=f"127.0.1.{attempt}"):
            with client_at(address) as c:
                c.get(url + "/sparql", params={"query": holder}, headers=CSV)

        held = threading.Thread(target=hold)
        held.start()
        time.sleep(0.1)
        with client_at(f"127.0.2.{attempt}") as c:
            r = c.get(url + "/queries/cluster-by-code?code=14&format=csv")
        alive = held.is_alive()
        held.join()
        if r.status_code == 200 and alive:
            return
        time.sleep(0.5)
    pytest.fail("the second query worker never came up")


def test_a_slow_trace_is_stopped_at_its_deadline_while_others_are_answered(slow_server):
    slow = {}

    def run_slow():
        with client_at("127.0.0.4") as c:
            slow["json"] = c.get(f"{slow_server}/trace?iri={quote(BIG)}")

    t = threading.Thread(target=run_slow)
    t.start()
    quick = []
    with client_at("127.0.0.5") as c:
        while t.is_alive() or not quick:  # answered while the slow trace runs
            quick.append(c.get(f"{slow_server}/queries/cluster-by-code?code=14&format=csv"))
    t.join()
    r = slow["json"]  # stopped at its deadline
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Query timed out" and "2 s deadline" in r.json()["detail"]
    assert all(q.status_code == 200 and "Psychotic Crisis" in q.text for q in quick)
    # the runaway trace spent that client's budget: its next read, a page, is refused with 429
    with client_at("127.0.0.4") as c:
        page = c.get(f"{slow_server}/id/cluster-14", headers=HTML)
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
    assert "Too many requests" in page.text and int(page.headers["retry-after"]) >= 5
    with client_at("127.0.0.5") as c:  # while everyone else's pages are served
        page = c.get(f"{slow_server}/id/cluster-14", headers=HTML)
        assert page.status_code == 200, page.text[-600:]


def test_the_slow_trace_page_is_a_503_page_within_its_deadline(slow_server):
    with client_at("127.0.0.6") as c:
        r = c.get(f"{slow_server}/trace?iri={quote(BIG)}", headers=HTML)
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
    assert "Query timed out" in r.text
