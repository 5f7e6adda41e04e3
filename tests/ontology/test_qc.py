"""Each QC query finds nothing in the real graph and fires on the known-bad fixture."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from otkg.kg.pipeline.validate import qc_queries

QUERIES = qc_queries()
BAD = Path(__file__).parent.parent / "data" / "bad.trig"


@pytest.fixture(scope="module")
def bad_store():
    st = ox.Store()
    st.load(BAD.read_bytes(), format=ox.RdfFormat.TRIG)
    return st


def _rows(store, query):
    return [
        tuple(None if v is None else v.value for v in r)
        for r in store.query(query, use_default_graph_as_union=True)
    ]


def test_there_are_qc_queries_with_a_fault_comment():
    assert len(QUERIES) >= 8
    for text in QUERIES.values():
        assert text.startswith("# Fault: ")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_qc_query_finds_nothing_in_the_real_graph(store, name):
    assert _rows(store, QUERIES[name]) == []


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_qc_query_fires_on_the_bad_fixture(bad_store, name):
    assert len(_rows(bad_store, QUERIES[name])) >= 1
