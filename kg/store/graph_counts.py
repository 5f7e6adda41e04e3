"""How many triples each graph of the served dataset holds, for the SPARQL service description:
counted in the live store (uploaded graphs included), or read from the build's VoID description."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import DATASET, VOID

# One pass: a row per named graph, and one without ?g for the union default graph. Its triples are
# counted DISTINCT because a triple stated in two graphs is one triple of the union (RDF merge);
# Oxigraph's union default graph would otherwise count it once per graph.
COUNTS = """SELECT ?g (COUNT(*) AS ?n) WHERE {
  { GRAPH ?g { ?s ?p ?o } } UNION { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }
} GROUP BY ?g"""


@dataclass(frozen=True)
class GraphCounts:
    default: int  # distinct triples in the default graph (the union of the named graphs)
    named: dict[str, int]  # named graph IRI -> its triples


def count_store(store) -> GraphCounts:
    """Count the store's graphs with one query (about 0.1 s on the real graph)."""
    default, named = 0, {}
    for row in store.query(COUNTS):
        if row["g"] is None:
            default = int(row["n"].value)
        else:
            named[row["g"].value] = int(row["n"].value)
    return GraphCounts(default, named)


def count_void(path: Path) -> GraphCounts:
    """The counts a build's VoID description states (for a store otkg does not write to)."""
    g = ox.Store()
    g.load(path=str(path), format=ox.RdfFormat.TURTLE)
    dataset, triples = ox.NamedNode(str(DATASET)), ox.NamedNode(str(VOID.triples))

    def count(node) -> int:
        found = g.quads_for_pattern(node, triples, None)
        return next(int(q.object.value) for q in found if isinstance(q.object, ox.Literal))

    objects = [q.object for q in g.quads_for_pattern(dataset, ox.NamedNode(str(VOID.subset)), None)]
    subsets = [s for s in objects if isinstance(s, ox.NamedNode | ox.BlankNode)]
    return GraphCounts(count(dataset), {s.value: count(s) for s in subsets})
