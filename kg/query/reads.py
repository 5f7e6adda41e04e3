"""Reads a query worker runs besides raw and named queries, each returning plain picklable data:
an entity's description, its evidence trace, a named graph's triples written in a format, and a
query's answer as terms for a page's table.

They run in the worker (kg.query.query_pool), not the API process, so that a deadline can stop them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from ..oxterms import written
from . import jsonld, trace
from .query_jobs import JobFailed, graphs

# Every triple of the one named graph the dataset holds (its IRI is given as the dataset, never in the text)
GRAPH_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
DATASET_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)  # these keep the graph's name


@dataclass(frozen=True)
class Read:
    name: str  # one of READS
    args: tuple


@dataclass(frozen=True)
class Table:
    """A query's answer for a page: the first `shown` rows as pyoxigraph terms, and how many there were."""

    form: str  # select, ask or graph
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # variable -> term (absent when unbound)
    total: int = 0  # rows read, at most the limit
    more: bool = False  # rows beyond the limit exist
    boolean: bool | None = None


def describe(store, iri: str, cap: int) -> tuple[list[ox.Triple], bool] | None:
    """The entity's description (kg.query.trace.describe), at most `cap` triples and whether there were
    more; None when nothing in the graph is about it."""
    if not trace.exists(store, iri):
        return None
    triples = list(islice(trace.describe(store, iri), cap + 1))
    return triples[:cap], len(triples) > cap


def evidence(store, iri: str, limit: int) -> dict | None:
    """The evidence chain (kg.query.trace.evidence_chain) of at most `limit` pieces; None when nothing is about it."""
    if not trace.exists(store, iri):
        return None
    return trace.evidence_chain(store, iri, limit)


def named_graph(store, iri: str, media_type: str, cap: int) -> tuple[bytes, int, bool] | None:
    """A named graph's triples written in `media_type`, at most `cap` of them: the bytes, how many
    triples they hold and whether there were more; N-Quads and TriG keep the graph's name. None
    when the store holds no triple in that graph."""
    g = ox.NamedNode(iri)
    rows = list(islice(store.query(GRAPH_TRIPLES, named_graphs=[g]), cap + 1))
    if not rows:
        return None
    triples = [ox.Triple(s, p, o) for s, p, o in rows[:cap]]
    fmt = None if jsonld.profile_of(media_type) else ox.RdfFormat.from_media_type(media_type)
    try:
        if fmt in DATASET_FORMATS:
            body = written(
                ox.serialize((ox.Quad(t.subject, t.predicate, t.object, g) for t in triples), format=fmt)
            )
        else:
            body = jsonld.serialize(triples, media_type)
    except ValueError as exc:  # an RDF 1.2 triple term, which JSON-LD and RDF/XML cannot write
        raise JobFailed("error", f"{exc}; ask for Turtle, TriG, N-Triples or N-Quads") from None
    return body, len(triples), len(rows) > cap


def table(
    store,
    text: str,
    limit: int,
    offset: int,
    shown: int,
    default_graph=None,
    named_graphs=None,
    base_iri: str | None = None,
) -> Table:
    """A query's answer as terms: SELECT rows from `offset`, up to `limit`; a graph's triples up to `limit`."""
    try:
        result = store.query(
            text, default_graph=graphs(default_graph), named_graphs=graphs(named_graphs), base_iri=base_iri
        )
    except SyntaxError as exc:
        raise JobFailed("syntax", str(exc)) from None
    if isinstance(result, ox.QueryBoolean):
        return Table("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        window = list(islice(result, offset, offset + limit + 1))
        rows = [
            {v: t for v, t in zip(variables, s, strict=True) if t is not None}
            for s in window[: min(limit, shown)]
        ]
        return Table("select", variables, rows, min(len(window), limit), len(window) > limit)
    triples = list(islice(result, limit + 1))
    rows = [
        {"subject": t.subject, "predicate": t.predicate, "object": t.object}
        for t in triples[: min(limit, shown)]
    ]
    return Table(
        "graph", ["subject", "predicate", "object"], rows, min(len(triples), limit), len(triples) > limit
    )


READS: dict[str, Callable[..., object]] = {
    "describe": describe,
    "evidence": evidence,
    "table": table,
    "named_graph": named_graph,
}


def perform(store, read: Read):
    """Run one read on a store; raises JobFailed for a malformed query."""
    return READS[read.name](store, *read.args)
