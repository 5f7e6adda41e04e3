"""A kill -9 during a write leaves the old version or the new, never a mix, and the graph always
matches the last write its history records (kg.contrib.write_path over kg.store.seam)."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
from otkg.kg.contrib import history
from otkg.kg.pipeline.release import read_release
from otkg.kg.store.seam import AUDIT_GRAPH, ReleaseStore, prepare_release

GRAPH = "https://w3id.org/otkg/graph/local/killed"
# Writes the two versions of the package in turn, for ever, saying "ready" once it is about to start,
# then the two bodies' digests, then "committed n" after each commit.
WRITER = """
import sys
from pathlib import Path
from otkg.kg.contrib.cli import operator
from otkg.kg.contrib.write_path import Upload, Writer
from otkg.kg.store.seam import ReleaseStore
from otkg.kg.terms import load_ontology
from tests.sheet_files import FIXTURE_CSV, TRUST

root = Path(sys.argv[1])
w = Writer(ReleaseStore(root), root, load_ontology())
first = FIXTURE_CSV.read_bytes()
second = first.replace(b"sets weekly activity goals", b"sets daily activity goals")
checked = [w.check(Upload("killed", body, "text/csv", TRUST, "2")) for body in (first, second)]
print("ready", flush=True)
print(*(c.sha256 for c in checked), flush=True)
n = 0
while True:
    w.publish(checked[n % 2], operator())
    n += 1
    print("committed", n, flush=True)
"""


def digest(triples) -> str:
    return hashlib.sha256(history.ntriples(list(triples))).hexdigest()


@pytest.fixture(scope="module")
def store_root(build_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("killed-store")
    prepare_release(root, build_dir / "otkg.nq", read_release(build_dir)["inputsDigest"][:16])
    return root


def test_a_killed_writer_leaves_one_whole_version_and_its_history(store_root):
    rng, versions = random.Random(3), {}
    for trial in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store_root)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        bodies = proc.stdout.readline().split()
        for _ in range(trial % 3):  # let 0, 1 or 2 commits finish, then kill it at some point of the next
            assert proc.stdout.readline().startswith("committed")
        time.sleep(rng.uniform(0.0, 2.0))  # a commit takes about 2 s here
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = ReleaseStore(store_root)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH))
        ]
        writes = history.versions(store, "killed")
        if not writes:  # killed before its first commit: nothing at all
            assert triples == [] and trial == 0
            continue
        last = writes[-1]
        # the graph is exactly what the last recorded write stored: no mix, nothing unrecorded
        assert digest(triples) == digest(history.stored_triples(store_root, "killed", last.number))
        assert len(triples) == last.triples and last.sha256 in bodies
        versions.setdefault(last.sha256, digest(triples))
        assert versions[last.sha256] == digest(triples)  # one body, one content, whichever kill left it
        audit = store.store.quads_for_pattern(None, None, None, ox.NamedNode(AUDIT_GRAPH))
        assert sum(1 for q in audit if q.predicate.value.endswith("#writeResult")) == len(writes)
    assert versions  # at least the trials that waited for a commit left one
