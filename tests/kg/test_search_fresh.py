"""The search index follows the disk store's generation (kg/query/search_fresh.py): two holders over one
store stand for two API processes; a commit by either is found by both, and a removal goes from both."""

from __future__ import annotations

import asyncio
import threading

import pyoxigraph as ox
import pytest
from otkg.kg.query import search_fresh
from otkg.kg.query.search_fresh import FreshSearch
from otkg.kg.store.seam import commit_graph, open_release

LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
LOCAL = "https://w3id.org/otkg/graph/local/"
BASE_NQ = (
    '<https://w3id.org/otkg/id/cluster-2> <http://www.w3.org/2000/01/rdf-schema#label> "non-psychotic moderate" '
    "<https://w3id.org/otkg/graph/care-map> .\n"
)


def _package(word: str) -> list[ox.Triple]:
    return [
        ox.Triple(
            ox.NamedNode("https://w3id.org/otkg/id/local/t/package"), LABEL, ox.Literal(f"{word} goals")
        )
    ]


def _found(index, word: str) -> list[str]:
    return [h.entity for h in index.search(word)]


@pytest.fixture
def store_root(tmp_path):
    (tmp_path / "base.nq").write_text(BASE_NQ, encoding="utf-8")
    open_release(tmp_path / "store", tmp_path / "base.nq", "r1")
    return tmp_path / "store"


def _holders(root, n: int = 2) -> list[FreshSearch]:
    """One FreshSearch per simulated API process, each over its own handle on the store."""
    return [FreshSearch.build(open_release(root, root.parent / "base.nq", "r1")) for _ in range(n)]


def test_a_commit_by_one_process_is_found_by_both(store_root):
    async def run():
        here, there = _holders(store_root)
        assert _found(await here.current(), "quokka") == []
        commit_graph(store_root, LOCAL + "t", _package("quokka"))
        await here.reindex()  # the committing process rebuilds right after its commit
        assert _found(here.index, "quokka") == ["https://w3id.org/otkg/id/local/t/package"]
        assert there.stale()  # the other notices the new generation at its next search
        assert _found(await there.current(), "quokka") == ["https://w3id.org/otkg/id/local/t/package"]
        commit_graph(store_root, LOCAL + "t", _package("wombat"))  # replaced
        assert _found(await here.current(), "quokka") == [] and _found(await there.current(), "wombat")
        commit_graph(store_root, LOCAL + "t", None)  # removed
        assert _found(await there.current(), "wombat") == [] == _found(await here.current(), "wombat")
        assert (here.rebuilds, there.rebuilds) == (3, 3)
        assert _found(here.index, "moderate") == ["https://w3id.org/otkg/id/cluster-2"]  # the rest stays

    asyncio.run(run())


def test_searches_arriving_during_a_rebuild_share_it(store_root, monkeypatch):
    (holder,) = _holders(store_root, 1)
    scans, released, release = [], [], threading.Event()

    def slow_scan(store, documents=None):
        scans.append(1)
        released.append(release.wait(30))  # held until the event loop has shown it still runs
        return real_scan(store, documents)

    real_scan = search_fresh.scan
    monkeypatch.setattr(search_fresh, "scan", slow_scan)

    async def run():
        commit_graph(store_root, LOCAL + "t", _package("quokka"))
        searches = [asyncio.ensure_future(holder.current()) for _ in range(5)]
        ticks = 0
        while not scans:  # the loop runs while the rebuild starts in its thread
            await asyncio.sleep(0.01)
        for _ in range(3):  # and while it is under way: the scan is held until these ran
            await asyncio.sleep(0)
            ticks += 1
        release.set()
        indexes = await asyncio.gather(*searches)
        assert released == [True]  # set by the loop while the scan waited in its thread
        assert ticks == 3 and len(scans) == 1 and holder.rebuilds == 1
        assert all(i is indexes[0] for i in indexes)
        assert _found(indexes[0], "quokka") == ["https://w3id.org/otkg/id/local/t/package"]

    asyncio.run(run())


def test_a_search_past_its_deadline_leaves_the_rebuild_running(store_root, monkeypatch):
    (holder,) = _holders(store_root, 1)
    release = threading.Event()
    real_scan = search_fresh.scan
    monkeypatch.setattr(
        search_fresh, "scan", lambda store, documents=None: release.wait(30) and real_scan(store)
    )

    async def run():
        commit_graph(store_root, LOCAL + "t", _package("quokka"))
        with pytest.raises(TimeoutError):
            await holder.current(timeout=0.05)
        release.set()
        assert _found(await holder.current(), "quokka")  # the same rebuild, finished
        assert holder.rebuilds == 1

    asyncio.run(run())


def test_a_failed_rebuild_searches_the_index_before(store_root, monkeypatch):
    (holder,) = _holders(store_root, 1)
    before = holder.index

    def broken(store, documents=None):
        raise OSError("disk gone")

    monkeypatch.setattr(search_fresh, "scan", broken)

    async def run():
        commit_graph(store_root, LOCAL + "t", _package("quokka"))
        assert await holder.current() is before
        with pytest.raises(OSError):
            await holder.reindex()  # the write path hears of it

    asyncio.run(run())
