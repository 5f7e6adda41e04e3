"""Reading SPARQL text without a parser: comments, the query form, and typed VALUES binding.

A remote server has no substitution API, so parameters go in a VALUES block at the head of the
query's WHERE group, where every pattern and FILTER of that group sees them (as pyoxigraph's
substitutions do). The values are RDF terms written by pyoxigraph's own N-Triples serialiser after
the typed checks of kg.query_service, never raw text.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

# Strings, IRIs and comments may hold '#', '{' or keywords: match them first to skip them.
_QUOTED_SRC = (r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
               r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
QUOTED = re.compile(_QUOTED_SRC)
_LEXEME = re.compile(_QUOTED_SRC + r'|\bWHERE\s*\{|\b(?:SELECT|CONSTRUCT|DESCRIBE|ASK)\b', re.IGNORECASE)
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


class BindingError(ValueError):
    """A query with no WHERE { to bind values in."""


def strip_comments(text: str) -> str:
    """Drop # comments, leaving strings and IRIs (which may hold '#') alone."""
    return _LEXEME.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), text)


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first form keyword outside strings, IRIs, comments."""
    for m in _LEXEME.finditer(text):
        word = m.group(0).upper()
        if word in FORMS:
            return word
    return None


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


_OPEN, _CLOSE = set("{(["), set("})]")


def nesting_depth(text: str) -> int:
    """Deepest nesting of braces, parentheses and brackets outside strings, IRIs and comments."""
    depth = deepest = 0
    for ch in QUOTED.sub(" ", text):
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in _CLOSE:
            depth -= 1
    return deepest


def names_dataset(text: str) -> bool:
    """True if the query sets its own dataset with FROM or FROM NAMED."""
    return re.search(r"\bFROM\b", QUOTED.sub(" ", text), re.IGNORECASE) is not None
