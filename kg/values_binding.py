"""Bind parameters for a SPARQL server that has no substitution API: a typed VALUES block.

The values are RDF terms written by pyoxigraph's own N-Triples serialiser after the typed checks of
kg.query_service, and go into a VALUES block at the head of the query's WHERE group, where every
pattern and FILTER of that group sees them (as pyoxigraph's substitutions do).
"""
from __future__ import annotations

import re

import pyoxigraph as ox

# Strings, IRIs and comments may contain '{' or 'WHERE': skip them while looking.
_LEXEME = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*|\bWHERE\s*\{', re.IGNORECASE)


class BindingError(ValueError):
    """A query with no WHERE { to bind values in."""


def with_values(query: str, substitutions: dict[ox.Variable, object]) -> str:
    """The query with `VALUES (?a ?b) { (t1 t2) }` opening its first WHERE group."""
    if not substitutions:
        return query
    for m in _LEXEME.finditer(query):
        if m.group(0)[:5].upper() == "WHERE":
            names = " ".join(str(v) for v in substitutions)
            terms = " ".join(str(t) for t in substitutions.values())
            return f"{query[:m.end()]} VALUES ({names}) {{ ({terms}) }}{query[m.end():]}"
    raise BindingError("the query has no 'WHERE {' to bind parameters in")
