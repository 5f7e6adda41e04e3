"""rdflib terms as pyoxigraph terms, for graphs made with rdflib and written or stored by pyoxigraph,
and the narrowing of pyoxigraph's broad return types to what a call site asked for."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term pyoxigraph stores: {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def triple_from_rdflib(s: Node, p: Node, o: Node) -> ox.Triple:
    subject, predicate = from_rdflib(s), from_rdflib(p)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
    return ox.Triple(subject, predicate, from_rdflib(o))


def written(data: bytes | None) -> bytes:
    """The bytes of a pyoxigraph serialize() call given no output file (typed bytes | None
    because with an output file it returns None)."""
    if data is None:
        raise TypeError("serialize() wrote to a file, so there are no bytes to return")
    return data


def solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """The rows of a SELECT query's answer."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected the solutions of a SELECT query, got {type(result).__name__}")
    return result
