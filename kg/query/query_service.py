"""Run catalogue queries: typed parameter checks, typed VALUES binding, honest pagination.

Parameter values never enter query text raw: after a typed check that names the bad parameter they
become RDF terms, written by pyoxigraph's serialiser into a VALUES block (kg.sparql_text). The same
binding serves the embedded store and any SPARQL server; on pyoxigraph it also measured 10x faster
than its `substitutions` (which filter after evaluating the whole pattern).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from ..sparql_text import with_values
from .query_catalog import NamedQuery, Param

XSD = "http://www.w3.org/2001/XMLSchema#"
IRI_SCHEMES = ("http://", "https://", "urn:")
IRI_BAD = re.compile(r"[\x00-\x20<>\"{}|\\^`\u007f-\u009f]")
INTEGER = re.compile(r"^[+-]?\d{1,18}$")
DECIMAL = re.compile(r"^[+-]?(\d{1,18}(\.\d{0,12})?|\.\d{1,12})$")
CODEPOINT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
MAX_IRI = 2048
BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
MAX_LIMIT = 10000


class ParamError(ValueError):
    """A parameter value that fails its type; `param` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"parameter '{param}': {message}")
        self.param, self.detail = param, message


def _clean_text(name: str, value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise ParamError(name, f"longer than {max_length} characters")
    if NUL_OR_SURROGATE.search(value):
        raise ParamError(name, "contains a NUL or an unpaired surrogate character")
    if BIDI_CONTROL.search(value):  # they make displayed text differ from what is matched
        raise ParamError(name, "contains a bidirectional control character (such as an RTL mark)")
    if CODEPOINT_ESCAPE.search(value):
        # SPARQL 1.1 (19.2) expands \uXXXX anywhere before parsing, so servers that do (rdflib does)
        # would read the bound value as another one, or fail on it.
        raise ParamError(name, "contains a \\u or \\U escape sequence")
    return value


def to_term(param: Param, raw: object):
    """The RDF term for one raw (string) value of a typed parameter."""
    name = param.name
    value = _clean_text(name, str(raw), MAX_IRI if param.type == "iri" else param.max_length)
    if param.type == "iri":
        if not value.startswith(IRI_SCHEMES):
            raise ParamError(name, f"IRI must start with one of {', '.join(IRI_SCHEMES)}")
        if IRI_BAD.search(value):
            raise ParamError(name, "IRI contains a space, control or forbidden character")
        try:
            return ox.NamedNode(value)
        except ValueError as exc:  # e.g. a code point RFC 3987 leaves out, such as U+FFFE
            raise ParamError(name, f"not a valid IRI ({exc})") from None
    if param.type == "integer":
        if not INTEGER.match(value):
            raise ParamError(name, "must be a whole number")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "decimal":
        if not DECIMAL.match(value):
            raise ParamError(name, "must be a decimal number")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    if param.type == "boolean":
        if value not in ("true", "false"):
            raise ParamError(name, "must be true or false")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    if param.type == "enum" and value not in param.enum:
        raise ParamError(name, f"must be one of {', '.join(map(str, param.enum))}")
    return ox.Literal(value)


def bind(query: NamedQuery, raw: dict[str, str]) -> dict:
    """Check every supplied value and return {variable: term}; unknown names are errors."""
    known = {p.name: p for p in query.params}
    for name in raw:
        if name not in known:
            raise ParamError(name, f"not a parameter of query '{query.name}'")
    subs = {}
    for p in query.params:
        value = raw.get(p.name, p.default)
        if value is None or value == "":
            if p.required:
                raise ParamError(p.name, "is required")
            continue
        subs[ox.Variable(p.name)] = to_term(p, value)
    return subs


@dataclass
class Page:
    variables: list[str]
    rows: list[dict]  # variable -> pyoxigraph term (or absent)
    offset: int
    limit: int
    has_next: bool


def check_window(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ParamError("limit", f"must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise ParamError("offset", "must not be negative")


def bound_text(query: NamedQuery, raw: dict[str, str]) -> str:
    """The query's text with its checked parameter values bound in a VALUES block."""
    return with_values(query.text, bind(query, raw))


def run_select(store, query: NamedQuery, raw: dict[str, str], limit: int, offset: int) -> Page:
    """Run a SELECT query and return one page; one extra row is read to know if there is a next."""
    check_window(limit, offset)
    result = store.query(bound_text(query, raw))
    variables = [v.value for v in result.variables]
    window = list(islice(result, offset, offset + limit + 1))
    rows = [{v: t for v, t in zip(variables, s, strict=True) if t is not None} for s in window[:limit]]
    return Page(variables, rows, offset, limit, len(window) > limit)


def run_graph(store, query: NamedQuery, raw: dict[str, str]):
    """Run a CONSTRUCT, DESCRIBE or ASK catalogue query with bound parameters."""
    return store.query(bound_text(query, raw))
