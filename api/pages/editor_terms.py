"""What the SPARQL editor completes: the graph's prefixes, and the classes and properties it uses, each
with its label. Asked of the served store once per store generation (about 0.1 s on the real graph),
so an upload that brings a new class or property shows in the completions."""

from __future__ import annotations

import httpx
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ...kg.namespaces import BASE, PREFIXES
from ...kg.store.remote_store import RemoteError
from ...kg.store.seam import GraphStore

# Every class instantiated and every property used, in any named graph; labels where the graph
# gives one (the ontology's own terms and the reused ones it imports).
TERMS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind ?term (SAMPLE(?l) AS ?label) WHERE {
  { SELECT DISTINCT ?term ("classes" AS ?kind) WHERE { ?s a ?term } }
  UNION { SELECT DISTINCT ?term ("properties" AS ?kind) WHERE { ?s ?term ?o } }
  FILTER isIRI(?term)
  OPTIONAL { ?term rdfs:label ?l }
} GROUP BY ?kind ?term ORDER BY ?kind ?term"""


def _prefixes_only() -> dict:
    return {
        "base": BASE,  # the graph's IRIs under it have their page on this server at the rest of the path
        "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
        "classes": [],
        "properties": [],
    }


def _terms(store: GraphStore) -> dict:
    found = _prefixes_only()
    for row in store.query(TERMS):  # type: ignore[union-attr]
        label = row["label"]
        found[row["kind"].value].append([row["term"].value, label.value if label is not None else ""])
    return found


async def editor_terms(request: Request) -> dict:
    """{base, prefixes: {prefix: namespace}, classes: [[iri, label]], properties: [[iri, label]]}."""
    store: GraphStore = request.app.state.services.store
    cached = getattr(request.app.state, "editor_terms", None)
    # A remote store that is down leaves the prefixes alone: the editor still opens, and asks again.
    try:
        # the disk store's generation notices an upload made by any process (a stat: cheap)
        key = (id(store), await run_in_threadpool(lambda: store.generation))
        if cached and cached[0] == key:
            return cached[1]
        terms = await run_in_threadpool(_terms, store)
    except (RemoteError, httpx.HTTPError):
        return _prefixes_only()
    request.app.state.editor_terms = (key, terms)
    return terms
