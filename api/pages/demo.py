"""A demonstration graph for the pages: the real graph plus synthetic Trusts' local care packages.

The national seeds hold no per-cluster package contents, so the matrix page is empty over the real
graph. Tests and screenshots add the local packages of kg/pipeline/scale.py in memory only; the stand-ins that
kg/pipeline/scale.py makes for real entities are dropped, so the real clusters and interventions keep their
own labels. Nothing here is ever written to build/.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ...kg.namespaces import BASE
from ...kg.pipeline import scale
from ...kg.pipeline.release import read_release
from ...kg.query.search import SearchIndex
from ...kg.store.seam import EmbeddedStore
from ..deps import Release, Services

RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
STAND_IN_CLAIMS = BASE + "claim/curated/syn-shared/"


def local_package_quads(target_triples: int = 10_000) -> tuple[list[ox.Quad], dict[str, str]]:
    """Synthetic Trusts' quads without the stand-ins, and their documents (file name -> text)."""
    nquads, docs = scale.generate(target_triples)
    quads = list(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    shared = {ox.NamedNode(BASE + "id/" + rid) for rid in scale.SHARED}
    # A stand-in's statements are the only ones whose subject is a shared (real) entity.
    stand_in_statements = {q.subject for q in quads if q.predicate == RDF_SUBJECT and q.object in shared}
    kept = [
        q
        for q in quads
        if q.subject not in shared
        and q.subject not in stand_in_statements
        and not q.subject.value.startswith(STAND_IN_CLAIMS)
    ]
    return kept, {d.file: d.text for d in docs.values()}


def demo_services(
    build_dir: Path, catalog: dict, seeds: dict[str, str], target_triples: int = 10_000
) -> Services:
    """Services over the real build in build_dir plus synthetic local packages, in memory."""
    store = ox.Store()
    store.bulk_load(path=str(build_dir / "otkg.nq"), format=ox.RdfFormat.N_QUADS)
    quads, docs = local_package_quads(target_triples)
    store.extend(quads)
    emb = EmbeddedStore(store)
    info = read_release(build_dir)
    release = Release(
        info["version"] + "+synthetic-local-packages", info["versionIRI"], info["inputsDigest"], "demo"
    )
    return Services(
        emb, catalog, release, SearchIndex.from_store(emb), {**seeds, **docs}, build_dir=build_dir
    )
