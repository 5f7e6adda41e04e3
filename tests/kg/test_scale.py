"""Synthetic graphs have the real graph's shape: QC passes and the evidence-trace query answers."""

import pyoxigraph as ox
from otkg.kg.pipeline.scale import generate
from otkg.kg.pipeline.validate import qc
from otkg.kg.query import query_service
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.store.seam import EmbeddedStore


def test_scale_graph_reaches_its_size_and_passes_qc():
    nquads, docs = generate(10_000)
    assert nquads.count("\n") >= 10_000 and len(docs) == 1
    store = ox.Store()
    store.load(nquads.encode(), format=ox.RdfFormat.N_QUADS)
    assert qc(store) == []
    q = load_catalog()["evidence-for-entity"]
    page = query_service.run_select(
        EmbeddedStore(store), q, {"entity": "https://w3id.org/otkg/id/syn-el-0-3-1"}, 10, 0
    )
    [row] = page.rows
    exact = row["exact"].value
    assert exact.startswith("Element syn-el-0-3-1 of package syn-pkg-0-3 delivers intervention-")
    assert exact.endswith(" with outcome syn-out-0-3-1.") and row["file"].value == "syn-doc-0.txt"


def test_scale_generation_is_deterministic():
    assert generate(10_000)[0] == generate(10_000)[0]
