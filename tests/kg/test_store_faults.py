"""A commit the file system stops (a full disk, a quota, a read-only mount, permissions): the store
keeps serving exactly what it served, no half-made generation is left behind, the error names the
cause, and the next commit on a disk with room succeeds (issue 22)."""

from __future__ import annotations

import errno
from pathlib import Path

import pyoxigraph as ox
import pytest
from otkg.kg.store import seam
from otkg.kg.store.faults import CommitFailed, CommitUnconfirmed, cause, fault_errno
from otkg.kg.store.seam import LOCAL_GRAPHS, ReleaseStore, commit_graph, prepare_release

from tests.tmpfs import resize, small_tmpfs, used_kb

NQ = b'<http://x/a> <http://x/p> "release a" <http://x/g> .\n'
LOCAL = LOCAL_GRAPHS + "t1"
UPLOADED = [ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("uploaded"))]
# RocksDB's errors reach Python as OSError without an errno, the C library's message in the text
ROCKSDB_FULL = (
    "IO error: No space left on device: While appending to file: /s/000010.log: No space left on device"
)


def _labels(root: Path) -> list[str]:
    found = ReleaseStore(root).query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(r["o"].value for r in found)


def _tree(root: Path) -> dict[str, list[str]]:
    """Every file and folder under the store root, by folder: what a failed commit must not change."""
    return {
        str(d.relative_to(root)): sorted(p.name for p in d.iterdir())
        for d in [root, *(p for p in root.rglob("*") if p.is_dir())]
    }


@pytest.fixture
def store(tmp_path) -> Path:
    (tmp_path / "a.nq").write_bytes(NQ)
    root = tmp_path / "store"
    prepare_release(root, tmp_path / "a.nq", "a")
    return root


def _after(real, exc: OSError):
    """`real`, run, then failing with `exc`: the step leaves what it wrote, as a disk filling up does."""

    def step(*args):
        real(*args)
        raise exc

    return step


def _half_dump(exc: OSError):
    def write(st, folder: Path) -> None:
        (folder / seam.DUMP).write_bytes(b"<http://x/a> <http://x/p> ")  # a dump cut short
        raise exc

    return write


def _half_pointer(exc: OSError):
    def write(root: Path, name: str) -> Path:
        (root / ".current.tmp").write_text(name[:1])
        raise exc

    return write


def _refusing_lock(exc: OSError):
    real_open = open

    def opener(path, *args, **kwargs):
        if Path(path).name == ".lock":
            raise exc
        return real_open(path, *args, **kwargs)

    return opener


FAULTS = [
    ("checkpoint, disk full", "_checkpoint", lambda e: _after(seam._checkpoint, e), errno.ENOSPC, True),
    ("dump, disk full", "_write_dump", _half_dump, errno.ENOSPC, True),
    ("dump, RocksDB's message", "_write_dump", _half_dump, None, False),
    ("pointer, quota", "_write_pointer", _half_pointer, errno.EDQUOT, True),
    ("lock, read-only", "open", _refusing_lock, errno.EROFS, True),
    ("checkpoint, permission", "_checkpoint", lambda e: _after(seam._checkpoint, e), errno.EACCES, True),
]


@pytest.mark.parametrize(
    ("point", "make", "code", "with_errno"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS]
)
def test_a_commit_stopped_by_the_file_system_leaves_the_store_as_it_was(
    store, monkeypatch, point, make, code, with_errno
):
    before_tree, before_labels = _tree(store), _labels(store)
    exc = OSError(code, "failing") if with_errno else OSError(ROCKSDB_FULL)
    monkeypatch.setattr(seam, point, make(exc), raising=point != "open")
    with pytest.raises(CommitFailed) as failed:
        commit_graph(store, LOCAL, UPLOADED)
    expected = code if with_errno else errno.ENOSPC
    assert failed.value.errno == expected and failed.value.cause == cause(expected)
    assert "nothing was written" in str(failed.value)
    assert _tree(store) == before_tree  # no staging, generation or pointer left behind
    assert _labels(store) == before_labels and ReleaseStore(store).generation == "a"
    monkeypatch.undo()
    assert commit_graph(store, LOCAL, UPLOADED) == ("a.1", False)  # the name a failed commit would have had
    assert _labels(store) == ["release a", "uploaded"]


def test_a_removal_stopped_by_a_full_disk_keeps_the_graph(store, monkeypatch):
    commit_graph(store, LOCAL, UPLOADED)
    before = _tree(store)
    monkeypatch.setattr(seam, "_write_dump", _half_dump(OSError(errno.ENOSPC, "full")))
    with pytest.raises(CommitFailed):
        commit_graph(store, LOCAL, None)
    assert _tree(store) == before and _labels(store) == ["release a", "uploaded"]


def test_any_other_failure_before_the_switch_is_cleaned_up_and_raised_as_it_is(store, monkeypatch):
    before = _tree(store)
    monkeypatch.setattr(seam, "_write_dump", _after(seam._write_dump, RuntimeError("a bug")))
    with pytest.raises(RuntimeError, match="a bug"):
        commit_graph(store, LOCAL, UPLOADED)
    assert _tree(store) == before


def test_a_failure_after_the_switch_is_not_taken_for_nothing_written(store, monkeypatch):
    # Once `current` names the new generation every process serves it: it must not be removed,
    # and the error must not say that nothing was written.
    monkeypatch.setattr(seam, "_sync_dir", lambda root: (_ for _ in ()).throw(OSError(errno.EIO, "I/O")))
    with pytest.raises(CommitUnconfirmed) as failed:
        commit_graph(store, LOCAL, UPLOADED)
    assert failed.value.errno == errno.EIO and "nothing was written" not in str(failed.value)
    assert _labels(store) == ["release a", "uploaded"] and ReleaseStore(store).generation == "a.1"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), errno.ENOSPC),
        (OSError("IO error: Disk quota exceeded: While appending to file: /s/1.log"), errno.EDQUOT),
        (OSError("IO error: While open a file for appending: /s/1.log: Read-only file system"), errno.EROFS),
        (OSError("IO error: something else"), None),
    ],
)
def test_the_cause_is_found_from_the_errno_or_rocksdbs_message(given, code):
    assert fault_errno(given) == code
    assert "/s/" not in cause(code)  # the cause a client is told names no path


def test_a_real_full_disk(tmp_path):
    """RocksDB itself runs out of space on a small tmpfs (skipped where mounting is not allowed)."""
    (tmp_path / "a.nq").write_bytes(NQ)
    big = [
        ox.Triple(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/p"), ox.Literal(f"{i:0>200}"))
        for i in range(30_000)
    ]
    with small_tmpfs(tmp_path / "disk", 64 * 1024) as disk:
        root = disk / "store"
        prepare_release(root, tmp_path / "a.nq", "a")
        before, used = _tree(root), used_kb(disk)
        resize(disk, used + 1024)  # room for the checkpoint, not for 30,000 long triples
        with pytest.raises(CommitFailed) as failed:
            commit_graph(root, LOCAL, big)
        assert failed.value.errno == errno.ENOSPC and failed.value.no_space
        assert _tree(root) == before and _labels(root) == ["release a"]
        # the space is given back: no file of the failed commit is still held open
        assert used_kb(disk) <= used + 64
        resize(disk, 64 * 1024)  # space freed: the same commit now succeeds
        assert commit_graph(root, LOCAL, big) == ("a.1", False)
        assert len(_labels(root)) == 30_001


def test_import_package_on_a_full_disk_prints_the_cause_and_exits_1(build_dir, tmp_path, monkeypatch, capsys):
    from otkg.kg import cli
    from otkg.kg.pipeline import build as build
    from otkg.kg.pipeline.sheet_cli import disk_store

    from tests.sheet_files import FIXTURE_XLSX, TRUST

    monkeypatch.setattr(build, "BUILD_DIR", build_dir)
    monkeypatch.setenv("OTKG_STORE_DIR", str(tmp_path / "store"))
    root, _ = disk_store()  # the store `otkg serve` would serve, prepared before the disk fills
    before = _tree(root)
    monkeypatch.setattr(seam, "_write_dump", _half_dump(OSError(ROCKSDB_FULL)))
    args = ["import-package", str(FIXTURE_XLSX), "--trust", TRUST, "--cluster", "2", "--name", "full"]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no space left on the device holding the store; nothing was written (")
    assert "Traceback" not in err and _tree(root) == before
