"""Entailed types: each instance also carries the rdf:type of every superclass of its asserted types.

The RDFS rules rdfs9 and rdfs11 over the ontology's named subclass axioms, applied once at build time
(kg.pipeline.assemble) and on a Trust's sheet (kg.pipeline.sheet_triples), so that `?i a otkg:Intervention`
finds intervention 4, typed in its source only as an otkg:CompositeIntervention, without a reasoner.

How an entailed type is traced: its reified statement is supported by the very evidence that supports
the asserted type it follows from, and says so with `prov:wasDerivedFrom` that asserted statement.
The evidence does support it (a passage saying that X is a composite intervention says, under the
ontology, that X is an intervention), and the derivation link keeps what the source says apart from
what the ontology adds: `FILTER NOT EXISTS { ?st prov:wasDerivedFrom ?asserted }` gives the asserted
triples alone. A made-up claim (say, one attributed to the build) would look like a source that does
not exist; no trace at all would break the rule that every triple about an entity is traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import OTKG

Supers = dict[URIRef, frozenset[URIRef]]


def superclasses(ontology: Graph) -> Supers:
    """Each named class's named superclasses, transitively, itself excluded (class expressions, which
    are blank nodes, are left out: they name no class to type an instance with)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sub != sup:
            direct.setdefault(sub, set()).add(sup)
    closed: Supers = {}
    for cls in direct:
        seen: set[URIRef] = set()
        todo = list(direct[cls])
        while todo:
            sup = todo.pop()
            if sup not in seen and sup != cls:
                seen.add(sup)
                todo.extend(direct.get(sup, ()))
        closed[cls] = frozenset(seen)
    return closed


@dataclass(frozen=True)
class Entailed:
    """One type an instance lacks, and what it follows from."""

    instance: URIRef
    type: URIRef
    asserted: URIRef  # the asserted type it follows from
    evidence: tuple[tuple[URIRef, URIRef], ...]  # (claim or curated link, graph) supporting that type
    graphs: tuple[URIRef, ...]  # the graphs asserting that type (where an untraced one goes)


def entailed_types(quads: Iterable[tuple], supers: Supers) -> Iterator[Entailed]:
    """The types missing from (s, p, o, g) quads, each with the evidence of the asserted type it
    follows from (none for a claim's own nodes, which are typed untraced), in a stable order."""
    from .assemble import statement_iri  # assemble imports this module

    typed: dict[URIRef, dict[URIRef, set]] = {}  # instance -> its type -> graphs
    supporters: dict[URIRef, set[tuple]] = {}  # statement -> (evidence, graph)
    for s, p, o, g in quads:
        if p == RDF.type:
            typed.setdefault(s, {}).setdefault(o, set()).add(g)
        elif p == OTKG.supports:
            supporters.setdefault(o, set()).add((s, g))
    for s in sorted(typed):
        types = typed[s]
        for cls in sorted(types):
            for sup in sorted(supers.get(cls, ())):
                if sup not in types:
                    evidence = supporters.get(statement_iri(s, RDF.type, cls), set())
                    yield Entailed(s, sup, cls, tuple(sorted(evidence, key=str)), tuple(types[cls]))
