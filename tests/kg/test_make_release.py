"""`make release` as a maintainer runs it (issue 23, item 1): the Makefile's recipe, run over the
session's build, writes a folder whose SHA256SUMS `sha256sum -c` verifies and whose dumps load into
pyoxigraph with the triple counts its own VoID states."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from otkg.kg import __version__

ROOT = Path(__file__).resolve().parents[2]
VOID = "http://rdfs.org/ns/void#"


def release_recipe() -> list[str]:
    """The command lines of the Makefile's `release` target, with $(BIN) spelled out."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^release:.*\n((?:\t.*\n)+)", text, flags=re.M)
    assert block, "the Makefile has no release target"
    return [ln.strip().replace("$(BIN)", str(ROOT / ".venv" / "bin")) for ln in block.group(1).splitlines()]


def _void_triples(void_ttl: bytes) -> tuple[int, dict[str, int]]:
    """The dataset's void:triples, and each named graph's (a subset named by the graph's IRI)."""
    store = ox.Store()
    store.load(void_ttl, format=ox.RdfFormat.TURTLE)
    total = {
        int(r["n"].value)
        for r in store.query(
            f"SELECT ?n WHERE {{ ?d a <{VOID}Dataset> ; <{VOID}triples> ?n ; <{VOID}dataDump> ?dump }}"
        )
    }
    assert len(total) == 1, total
    graphs = {
        r["g"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?g ?n WHERE {{ ?d <{VOID}dataDump> ?dump ; <{VOID}subset> ?g . ?g <{VOID}triples> ?n }}"
        )
    }
    return total.pop(), graphs


@pytest.mark.slow
def test_make_release_writes_a_folder_whose_checksums_verify_and_whose_dumps_load(build_dir, tmp_path):
    assert release_recipe() == [f"{ROOT}/.venv/bin/otkg release"]
    env = {**os.environ, "OTKG_BUILD_DIR": str(build_dir)}
    for line in release_recipe():
        done = subprocess.run(
            line.split(), check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-2000:]
    folder = build_dir / "release" / __version__
    try:
        assert shutil.which("sha256sum"), "coreutils' sha256sum"
        check = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"], check=False, cwd=folder, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
        listed = [ln.split("  ")[1] for ln in (folder / "SHA256SUMS").read_text().splitlines()]
        assert sorted(listed) == sorted(p.name for p in folder.iterdir() if p.name != "SHA256SUMS")

        total, graphs = _void_triples((folder / "void.ttl").read_bytes())
        union = ox.Store()
        union.load(gzip.decompress((folder / "otkg.ttl.gz").read_bytes()), format=ox.RdfFormat.TURTLE)
        assert len(union) == total
        quads = ox.Store()
        quads.load(gzip.decompress((folder / "otkg.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
        by_graph = {
            g.value: sum(1 for _ in quads.quads_for_pattern(None, None, None, g))
            for g in quads.named_graphs()
        }
        assert graphs and {g: by_graph.get(g) for g in graphs} == graphs
    finally:
        shutil.rmtree(build_dir / "release", ignore_errors=True)  # the session's build stays as built
