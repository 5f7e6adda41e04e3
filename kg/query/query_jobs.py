"""One query job as a worker process runs it: query the store, cap the answer, serialise it.

Jobs and answers are small frozen dataclasses of plain values, so they cross the process boundary
cheaply, and the answer is already bytes: the API process only forwards it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from ..oxterms import written
from .serialize import ASK_TABLES, SERIALIZERS, ask_table, graph_answer, json_solutions


@dataclass(frozen=True)
class Job:
    text: str  # the query, parameters already bound
    select_format: str | None  # json, xml, csv or tsv; None when the client accepts none of them
    graph_format: str | None  # an RDF media type for CONSTRUCT/DESCRIBE answers (JSON-LD with its profile)
    boolean_format: str | None  # a results media type for ASK answers
    limit: int  # rows (or triples) to return at most
    offset: int = 0
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    # Triples a CONSTRUCT/DESCRIBE answer holds at most, where it differs from `limit`: a raw query's
    # form is known only once it runs, and /sparql caps rows and triples apart. None: `limit`.
    graph_limit: int | None = None
    # The named graph a CONSTRUCT's triples belong to (NamedQuery.graph_name): N-Quads and TriG name it.
    graph_name: str | None = None


@dataclass(frozen=True)
class Answer:
    kind: str  # select, graph or boolean
    body: bytes
    more: bool  # rows beyond `limit` exist (a next page, or a truncated answer)


class NotAsMeasured(Exception):
    """A job run in the API process gave an answer of another length than the one measured: it is not
    the job that was measured quick, so it goes back to the workers (kg.query.query_pool)."""


class JobFailed(Exception):
    """The query could not run: `kind` is syntax, unacceptable or error."""

    def __init__(self, kind: str, message: str):
        super().__init__(kind, message)  # both in args, so that it pickles across the pipe
        self.kind, self.message = kind, message

    def __str__(self) -> str:
        return self.message


def graphs(iris):
    """Graph IRIs as pyoxigraph terms (None stays None: the store's own default)."""
    return None if iris is None else [ox.NamedNode(i) for i in iris]


def execute(store, job: Job, whole_size: int | None = None) -> Answer:
    """Run a job on a store (kg.store.seam.GraphStore); raises JobFailed. `whole_size`: the length of
    this job's answer on this data when measured, known to hold at most `limit` rows; an answer of
    another length raises NotAsMeasured, so the row cap holds whatever pyoxigraph wrote."""
    try:
        result = store.query(
            job.text,
            default_graph=graphs(job.default_graph),
            named_graphs=graphs(job.named_graphs),
            base_iri=job.base_iri,
        )
    except SyntaxError as exc:
        raise JobFailed("syntax", str(exc)) from None
    if isinstance(result, ox.QueryBoolean):
        if job.boolean_format is None:
            raise JobFailed("unacceptable", "boolean")
        if job.boolean_format in ASK_TABLES:
            return Answer("boolean", ask_table(job.boolean_format, bool(result)), False)
        fmt = ox.QueryResultsFormat.from_media_type(job.boolean_format)
        return Answer("boolean", written(result.serialize(format=fmt)), False)
    if isinstance(result, ox.QuerySolutions):
        if job.select_format is None:
            raise JobFailed("unacceptable", "select")
        if whole_size is not None and job.offset == 0 and job.select_format == "json":
            # nothing to cut: pyoxigraph writes it, the same bytes as json_solutions, 10x faster
            body = written(result.serialize(format=ox.QueryResultsFormat.JSON))
            if len(body) != whole_size:
                raise NotAsMeasured()
            return Answer("select", body, False)
        variables = [v.value for v in result.variables]
        window = list(islice(result, job.offset, job.offset + job.limit + 1))
        more = len(window) > job.limit
        if job.select_format == "json":  # the usual format: no dict per row
            return Answer("select", json_solutions(variables, window[: job.limit]), more)
        # zip over a solution's values: 10x faster than looking each variable up by name
        rows = [
            {v: t for v, t in zip(variables, s, strict=True) if t is not None} for s in window[: job.limit]
        ]
        return Answer("select", SERIALIZERS[job.select_format](variables, rows), more)
    if job.graph_format is None:
        raise JobFailed("unacceptable", "graph")
    cap = job.limit if job.graph_limit is None else job.graph_limit
    triples = list(islice(result, cap + 1))
    try:
        body = graph_answer(triples[:cap], job.graph_format, job.graph_name)  # JSON-LD compacted
    except ValueError as exc:  # an RDF 1.2 triple term, which JSON-LD cannot write
        raise JobFailed("error", f"{exc}; ask for Turtle or N-Triples") from None
    return Answer("graph", body, len(triples) > cap)
