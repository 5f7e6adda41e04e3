"""kg.query.worker_store: query workers forked from a forkserver that opened their store once share
its copy, and still see a commit made after the copy was loaded. Each case runs in a fresh Python,
whose forkserver starts with that case's store (the forkserver is one per process)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

# In a fresh Python: a pool of one worker over a release copied into memory; the label of cluster-14
# before and after a commit adds one, and whether the worker answered from the forkserver's copy.
SCENARIO = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    import pyoxigraph as ox
    from otkg.kg.query.query_jobs import Job
    from otkg.kg.query.query_pool import QueryPool
    from otkg.kg.store.seam import open_release

    store = open_release(Path(sys.argv[1]), Path(sys.argv[2]), "test")
    spec = store.spec(2**30)
    LIGHT = "SELECT ?l WHERE { <https://w3id.org/otkg/id/cluster-14> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    SHARED = "ASK { FILTER(false) }"

    def labels(answer):
        return sorted(answer.body.decode().split("\\r\\n")[1:-1])

    async def main():
        pool = QueryPool(spec, 1)
        await pool.start()
        try:
            job = Job(LIGHT, "csv", "application/n-triples", "application/sparql-results+json", limit=100)
            before = labels(await pool.run(job, 30))
            label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
            added = ox.Triple(ox.NamedNode("https://w3id.org/otkg/id/cluster-14"), label, ox.Literal("Added"))
            store.commit("https://w3id.org/otkg/graph/local/added", [added])
            after = labels(await pool.run(job, 30))
            return {"spec": list(spec), "before": before, "after": after}
        finally:
            await pool.close()

    print(json.dumps(asyncio.run(main())))
    """
)


@pytest.mark.slow
def test_a_forked_worker_answers_from_the_shared_copy_and_sees_a_later_commit(build_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "OTKG_WORKER_STORE"}
    args = [sys.executable, "-c", SCENARIO, str(tmp_path / "store"), str(build_dir / "otkg.nq")]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["spec"][0] == "release" and found["spec"][2] is True  # a copy: shared by the forkserver
    assert found["before"] == ["Psychotic Crisis"]
    assert found["after"] == ["Added", "Psychotic Crisis"]


def test_the_store_is_opened_once_for_its_spec_and_anew_for_another(build_dir, tmp_path):
    from otkg.kg.store.seam import open_release

    spec = list(open_release(tmp_path / "store", build_dir / "otkg.nq", "test").spec(2**30))
    code = textwrap.dedent(
        f"""
        from otkg.kg.query import worker_store as w
        spec = tuple({spec!r})
        other = (spec[0], spec[1], False)
        print(w.open_worker_store(spec) is w.open_worker_store(spec), w.open_worker_store(other) is w._STORE)
        """
    )
    env = {**os.environ, "OTKG_WORKER_STORE": json.dumps(spec)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["True", "False"]


def test_a_store_read_from_disk_is_never_opened_before_the_fork():
    from otkg.kg.query.query_pool import shareable

    assert shareable(("release", "/some/store", True))
    assert not shareable(("release", "/some/store", False))  # RocksDB handles must not cross a fork
    assert not shareable(("disk", "/some/store"))
    assert not shareable(("remote", "http://127.0.0.1:7878/query", "", "", 60, 60))
