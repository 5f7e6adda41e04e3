"""An N-Quads file loaded in parallel ranges gives exactly the store a single load gives."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from otkg.kg.store import parallel_load
from otkg.kg.store.parallel_load import bulk_load_nquads, line_ranges


def _sorted_quads(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store)


def test_ranges_cover_the_file_on_line_starts(tmp_path):
    path = tmp_path / "g.nq"
    lines = [
        f'<http://a.example/s{i}> <http://a.example/p> "{"x" * (i % 37)}" <http://a.example/g> .\n'
        for i in range(500)
    ]
    path.write_text("".join(lines))
    data = path.read_bytes()
    for parts in (1, 2, 3, 7, 64):
        spans = line_ranges(path, parts)
        assert b"".join(data[a:b] for a, b in spans) == data
        assert all(a == 0 or data[a - 1 : a] == b"\n" for a, _ in spans)


def test_a_parallel_load_equals_a_single_load(tmp_path, build_dir, monkeypatch):
    nq = build_dir / "otkg.nq"
    monkeypatch.setattr(parallel_load, "MIN_PART", 1 << 16)  # split even this small a graph
    single, split = ox.Store(str(tmp_path / "single")), ox.Store(str(tmp_path / "split"))
    single.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    bulk_load_nquads(split, nq, parts=4)
    assert len(split) == len(single) > 80_000
    assert _sorted_quads(split) == _sorted_quads(single)


def test_blank_nodes_keep_one_identity(tmp_path, monkeypatch):
    # Each bulk_load renames blank nodes, so a file that has any is never split.
    monkeypatch.setattr(parallel_load, "MIN_PART", 16)
    path = tmp_path / "b.nq"
    path.write_text(
        "".join(f'_:x <http://a.example/p{i}> "{i}" <http://a.example/g> .\n' for i in range(200))
    )
    store = ox.Store(str(tmp_path / "s"))
    bulk_load_nquads(store, path, parts=4)
    assert len({q.subject for q in store}) == 1 and len(store) == 200


def test_a_bad_line_in_any_range_fails_the_load(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_load, "MIN_PART", 16)
    lines = [
        f'<http://a.example/s{i}> <http://a.example/p> "{i}" <http://a.example/g> .\n' for i in range(300)
    ]
    lines[250] = '<http://a.example/s> <not an iri> "x" .\n'
    path = tmp_path / "bad.nq"
    path.write_text("".join(lines))
    with pytest.raises(SyntaxError):  # the bad line is in the last of the three ranges
        bulk_load_nquads(ox.Store(str(tmp_path / "s")), path, parts=3)
