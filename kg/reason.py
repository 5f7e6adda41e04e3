"""OWL 2 DL consistency check of the ontology with the graph's entities, using HermiT (owlready2)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from .namespaces import STATEMENT


def reasoning_view(ontology: Graph, quads: set[tuple]) -> Graph:
    """Ontology plus every triple except the rdf:Statement reifications (RDF reserved vocabulary)."""
    g = Graph()
    for t in ontology:
        g.add(t)
    for s, p, o, _ in quads:
        if not str(s).startswith(str(STATEMENT)) and p not in (RDF.subject, RDF.predicate, RDF.object):
            g.add((s, p, o))
    return g


def check_consistency(graph: Graph) -> None:
    """Run HermiT over the graph; raises owlready2's OwlReadyInconsistentOntologyError if inconsistent."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "otkg-reasoning.owl"
        graph.serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
