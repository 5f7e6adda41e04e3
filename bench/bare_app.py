"""The Python ceiling for a SPARQL lookup (issue 22): a bare FastAPI app under uvicorn answering
GET /sparql?query=... from pyoxigraph in memory, loaded from the N-Quads file named by BENCH_BARE_NQ.
No limits, budgets, cache or negotiation: what otkg's raw lookup is measured against.

    BENCH_BARE_NQ=build/otkg.nq python -m uvicorn bench.bare_app:app --port 8765
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from fastapi import FastAPI, Response

store = ox.Store()  # in memory
if path := os.environ.get("BENCH_BARE_NQ"):
    store.load(path=path, format=ox.RdfFormat.N_QUADS)

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/")
async def root() -> dict:
    """Ready once the graph is loaded (the module loads it at import)."""
    return {"quads": len(store)}


@app.get("/sparql")
async def sparql(query: str) -> Response:
    """Run a SELECT over the union of the graphs, as otkg and `oxigraph serve
    --union-default-graph` do, and answer SPARQL JSON results."""
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions), "a SELECT"
    return Response(
        result.serialize(format=ox.QueryResultsFormat.JSON), media_type="application/sparql-results+json"
    )
