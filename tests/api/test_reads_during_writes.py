"""Readers while a Trust uploads (issue 22, item 7): a commit never makes a reader wait for the new
generation, nor answers it 503. The store side (a worker's copy in memory follows the generation in
the background) and a real server under a 10 MB-class upload."""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections import Counter

import httpx
import pyoxigraph as ox
import pytest
from otkg.kg.pipeline.scale import trust_upload
from otkg.kg.store.seam import ReleaseStore, open_release

from bench.write_stall import Readers

from .conftest import uvicorn_server

LOCAL = "https://w3id.org/otkg/graph/local/t1"
NQ = b'<http://x/a> <http://x/p> "release a" <http://x/g> .\n'
LABELS = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o"
TOKEN = "reads-during-writes-token"
SLUG = "busy-trust"
READERS = ("127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24")


def _labels(store) -> list[str]:
    return [r["o"].value for r in store.query(LABELS)]


def _copied(store: ReleaseStore, copies: int) -> None:
    """Wait until the store's background copies reach `copies` (a bound for a hung copy, not a timing)."""
    ends = time.monotonic() + 60
    while store.copies < copies:
        assert time.monotonic() < ends, "the copy into memory never finished"
        time.sleep(0.01)


def test_a_copy_in_memory_answers_a_commit_at_once_from_disk_then_from_its_new_copy(tmp_path):
    (tmp_path / "a.nq").write_bytes(NQ)
    writer = open_release(tmp_path / "store", tmp_path / "a.nq", "a")
    reader = ReleaseStore(tmp_path / "store", in_memory=True)
    first = reader.store
    assert _labels(reader) == ["release a"] and reader.copies == 0  # copied before its first answer

    uploaded = ox.Triple(ox.NamedNode("http://x/u"), ox.NamedNode("http://x/p"), ox.Literal("uploaded"))
    writer.commit(LOCAL, [uploaded])
    # the next read sees the commit: it does not wait for the copy, nor answer the old generation
    assert _labels(reader) == ["release a", "uploaded"] and reader.generation == "a.1"
    assert reader.store is not first
    _copied(reader, 1)
    assert _labels(reader) == ["release a", "uploaded"]
    assert len(reader.store) == 2  # the copy in memory: both quads

    writer.commit(LOCAL, None)  # removed: the copy follows again
    assert _labels(reader) == ["release a"]
    _copied(reader, 2)
    assert _labels(reader) == ["release a"] and reader.generation == "a.2"


def test_a_copy_of_a_generation_passed_by_meanwhile_is_never_served(tmp_path):
    (tmp_path / "a.nq").write_bytes(NQ)
    writer = open_release(tmp_path / "store", tmp_path / "a.nq", "a")
    reader = ReleaseStore(tmp_path / "store", in_memory=True)
    # another process holds the copy lock: this store's copies wait behind it
    with open(tmp_path / "store" / ".copy.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for label in ("one", "two"):
            triple = ox.Triple(ox.NamedNode("http://x/u"), ox.NamedNode("http://x/p"), ox.Literal(label))
            writer.commit(LOCAL, [triple])
            assert sorted(_labels(reader)) == sorted([label, "release a"])  # switched to at once, from disk
    _copied(reader, 1)  # a.1's copy saw a.2 switched to and stood down; a.2's is served
    assert sorted(_labels(reader)) == ["release a", "two"] and reader.generation == "a.2"
    time.sleep(0.2)  # nothing more is swapped in
    assert reader.copies == 1


@pytest.mark.slow
def test_every_reader_is_answered_while_an_upload_is_checked_committed_and_switched_in(
    build_dir, tmp_path_factory
):
    store = tmp_path_factory.mktemp("reads-during-writes-store")
    body = trust_upload(3, SLUG) + trust_upload(4, SLUG)  # two Trusts' packages: 40,756 triples
    headers = {"content-type": "application/n-triples", "authorization": f"Bearer {TOKEN}"}
    with (
        uvicorn_server(
            build_dir,
            tmp_path_factory.mktemp("reads-during-writes"),
            store="disk",
            store_dir=store,
            response_cache_mb=0,  # every read runs its query
            client_budget_s=100000,
            write_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
        ) as url,
        Readers(url, READERS) as readers,  # bench.write_stall's: every request's start, end, status
    ):
        for _ in range(2):  # a new graph, then a replacement
            r = httpx.put(f"{url}/graph/local/{SLUG}", content=body, headers=headers, timeout=300)
            assert r.status_code in (201, 204), r.text
            done = time.monotonic()
            while time.monotonic() < done + 3:  # the new generation switched in by every worker
                time.sleep(0.1)
        seen = [(end, status) for _, end, status in readers.seen]
    assert len(seen) > 20  # readers were answered throughout
    assert Counter(s for _, s in seen if s != 200) == Counter()
