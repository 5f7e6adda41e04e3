"""The on-disk store: one folder per release, loaded once under a lock, switched atomically."""

import multiprocessing
from pathlib import Path

import pyoxigraph as ox
import pytest
from otkg.kg.store.seam import open_release, prepare_release

ROOT = Path(__file__).parent.parent.parent
LOCAL_GRAPH = "https://w3id.org/otkg/graph/local/t1"

NQ_A = b'<http://x/a> <http://x/p> "release a" <http://x/g> .\n'
NQ_B = b'<http://x/b> <http://x/p> "release b" <http://x/g> .\n'


def _labels(store) -> list[str]:
    return [r["o"].value for r in store.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")]


def test_a_new_release_replaces_the_old_one_atomically(tmp_path):
    (tmp_path / "a.nq").write_bytes(NQ_A)
    (tmp_path / "b.nq").write_bytes(NQ_B)
    root = tmp_path / "store"
    assert _labels(open_release(root, tmp_path / "a.nq", "a")) == ["release a"]
    assert (root / "current").read_text() == "a"
    assert _labels(open_release(root, tmp_path / "b.nq", "b")) == ["release b"]
    assert (root / "current").read_text() == "b" and not (root / "a").exists()


def test_a_crash_mid_load_leaves_the_served_release_intact(tmp_path):
    (tmp_path / "a.nq").write_bytes(NQ_A)
    root = tmp_path / "store"
    prepare_release(root, tmp_path / "a.nq", "a")
    # a loader killed half-way leaves only a staging folder behind, never a release folder
    staging = root / ".b.loading"
    staging.mkdir()
    (staging / "000001.sst").write_bytes(b"half written")
    assert (root / "current").read_text() == "a"
    assert _labels(open_release(root, tmp_path / "a.nq", "a")) == ["release a"]
    (tmp_path / "b.nq").write_bytes(NQ_B)
    assert _labels(open_release(root, tmp_path / "b.nq", "b")) == ["release b"]  # the next load succeeds


def _prepare(args):
    root, nq = args
    return str(prepare_release(Path(root), Path(nq), "same"))


def test_concurrent_workers_load_a_release_once(tmp_path):
    (tmp_path / "a.nq").write_bytes(NQ_A)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        paths = pool.map(_prepare, [(str(tmp_path / "store"), str(tmp_path / "a.nq"))] * 3)
    assert len(set(paths)) == 1
    stores = [ox.Store.read_only(p) for p in paths]  # several readers share one folder
    assert all(_labels(s) == ["release a"] for s in stores)


def test_a_committed_graph_reaches_disk_readers_and_memory_copies_and_survives_a_new_release(tmp_path):
    from otkg.kg.store.seam import LOCAL_GRAPHS, ReleaseStore, commit_graph, open_spec

    (tmp_path / "a.nq").write_bytes(NQ_A)
    (tmp_path / "b.nq").write_bytes(NQ_B)
    root = tmp_path / "store"
    disk = open_release(root, tmp_path / "a.nq", "a")
    assert disk.spec(10**9) == ("release", str(root), True) and disk.spec(0) == ("release", str(root), False)
    copy = open_spec(disk.spec(10**9))
    local = LOCAL_GRAPHS + "t1"
    triple = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("uploaded"))
    name, existed = commit_graph(root, local, [triple])
    assert (name, existed) == ("a.1", False)
    assert sorted(_labels(disk)) == sorted(_labels(copy)) == ["release a", "uploaded"]
    # the next release is loaded with the uploaded graph carried over
    assert sorted(_labels(open_release(root, tmp_path / "b.nq", "b"))) == ["release b", "uploaded"]
    assert commit_graph(root, local, None)[1] is True
    assert _labels(ReleaseStore(root)) == ["release b"]


def test_each_generation_keeps_its_quads_as_one_file_that_memory_copies_load(tmp_path):
    from otkg.kg.store.seam import DUMP, ReleaseStore, commit_graph

    (tmp_path / "a.nq").write_bytes(NQ_A)
    root = tmp_path / "store"
    open_release(root, tmp_path / "a.nq", "a")

    def dumped(generation: str) -> list[str]:
        return sorted(
            q.object.value for q in ox.parse(path=str(root / generation / DUMP), format=ox.RdfFormat.N_QUADS)
        )

    assert dumped("a") == ["release a"]
    triple = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("uploaded"))
    commit_graph(root, LOCAL_GRAPH, [triple])
    assert dumped("a.1") == ["release a", "uploaded"]
    (root / "a.1" / DUMP).unlink()  # a generation written before dumps were kept: copied quad by quad
    assert sorted(_labels(ReleaseStore(root, in_memory=True))) == ["release a", "uploaded"]


def test_every_backend_offers_the_store_interface(tmp_path):
    from otkg.kg.store.remote_store import ReadOnlyStore, RemoteStore
    from otkg.kg.store.seam import EmbeddedStore, GraphStore, ReleaseStore

    (tmp_path / "a.nq").write_bytes(NQ_A)
    memory, release = EmbeddedStore.in_memory(NQ_A), open_release(tmp_path / "store", tmp_path / "a.nq", "a")
    remote = RemoteStore("http://127.0.0.1:9/query")  # no server: capabilities are local
    assert all(isinstance(s, GraphStore) for s in (memory, release, remote))
    assert [(s.can_commit, s.is_remote) for s in (memory, release, remote)] == [
        (False, False),
        (True, False),
        (False, True),
    ]
    assert (memory.generation, release.generation) == ("", "a")
    # a remote generation is probed from the server; none answering, no cached answer is trusted
    assert remote.generation.startswith("unreachable-")
    assert remote.spec(10**9) == ("remote", "http://127.0.0.1:9/query", None, 60.0)
    for read_only in (memory, remote):
        with pytest.raises(ReadOnlyStore, match="OTKG_STORE=disk"):
            read_only.commit(LOCAL_GRAPH, None)
    triple = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("uploaded"))
    assert release.commit(LOCAL_GRAPH, [triple]) == ("a.1", False)
    assert release.generation == "a.1" and isinstance(ReleaseStore(tmp_path / "store"), GraphStore)


def test_dropping_caches_reopens_a_disk_handle_and_keeps_memory_copies_and_answers(tmp_path):
    from otkg.kg.store.freed_memory import return_freed_memory
    from otkg.kg.store.seam import EmbeddedStore, ReleaseStore, open_spec

    (tmp_path / "a.nq").write_bytes(NQ_A)
    disk = open_release(tmp_path / "store", tmp_path / "a.nq", "a")
    copy = ReleaseStore(tmp_path / "store", in_memory=True)
    folder = open_spec(("disk", str(tmp_path / "store" / "a")))
    memory = EmbeddedStore.in_memory(NQ_A)
    handles = [s.store for s in (disk, copy, folder, memory)]
    for s in (disk, copy, folder, memory):
        s.drop_caches()
        assert _labels(s) == ["release a"]
    # the disk handles are new (the old ones, with their block caches, are gone); the data in memory stays
    assert [s.store is h for s, h in zip((disk, copy, folder, memory), handles, strict=True)] == [
        False,
        True,
        False,
        True,
    ]
    assert return_freed_memory() is True  # glibc (the Linux this runs on) has malloc_trim


def test_mypy_accepts_the_three_backends_as_graph_stores_and_refuses_a_partial_one(tmp_path):
    mypy = pytest.importorskip("mypy.api")
    flags = ["--follow-imports=silent", "--ignore-missing-imports", "--cache-dir", str(tmp_path / "cache")]
    out, _, status = mypy.run(
        [str(ROOT / "kg" / "store" / "seam.py"), str(ROOT / "kg" / "store" / "remote_store.py"), *flags]
    )
    assert status == 0, out  # kg/store/seam.py assigns each backend to GraphStore under TYPE_CHECKING
    partial = tmp_path / "partial.py"  # a backend without commit()
    partial.write_text(
        "from kg.store.seam import GraphStore\n\n\nclass NoCommit:\n"
        "    generation, can_commit, is_remote = '', False, False\n\n"
        "    def query(self, sparql, *, default_graph=None, named_graphs=None, base_iri=None): ...\n"
        "    def graph_names(self) -> set[str]: return set()\n"
        "    def spec(self, copy_up_to_bytes: int = 0) -> tuple: return ()\n"
        "    def drop_caches(self) -> None: pass\n"
        "    def stale(self) -> bool: return False\n\n\n"
        "store: GraphStore = NoCommit()\n"
    )
    out, _, status = mypy.run([str(partial), *flags])
    assert status == 1 and '"NoCommit" is missing following "GraphStore" protocol member:\n' in out, out
    assert out.count("error:") == 1 and "    commit\n" in out, out
