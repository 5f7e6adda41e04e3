"""The on-disk store: one folder per release, loaded once under a lock, switched atomically."""
import multiprocessing
from pathlib import Path

import pyoxigraph as ox

from kg.store import open_release, prepare_release

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
