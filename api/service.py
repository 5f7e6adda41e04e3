"""The reads the API offers, used alike by the JSON routes and the pages: entity descriptions, evidence
traces, text search, named queries, raw SPARQL and the catalogue rows pages draw.

Each takes the request's Reads (api.execution), so every one runs under the same policy: the
request's deadline, a row cap, the client's budget. Routes and pages choose formats and shape
answers; none of them calls another handler or reads the store itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyoxigraph as ox
from starlette.requests import Request

from ..kg.namespaces import BASE
from ..kg.query import query_service
from ..kg.query.query_catalog import NamedQuery
from ..kg.query.query_jobs import Answer, Job
from ..kg.query.query_service import IRI_BAD
from ..kg.query.reads import Read, Table
from ..kg.query.search import Hit
from ..kg.query.trace import in_context
from ..kg.sparql_depth import MAX_BRACKETS, MAX_LEVELS, Nesting, could_exceed, nesting
from ..kg.sparql_text import fetching_keyword
from .errors import Problem
from .execution import Reads

PREFIX_PATHS = ("id/", "claim/", "statement/", "graph/")  # the otkg paths that name entities
MAX_DEPTH = MAX_BRACKETS  # brackets; MAX_LEVELS bounds chains of operators and terms too
SHOWN = 1000  # rows a page's table draws; its downloads carry every row
WINDOW = ("limit", "offset", "format", "bom")  # a named query's answer's shape, never bound into it


@dataclass(frozen=True)
class RawQuery:
    """A user's SPARQL query, checked by raw_query: its text, dataset IRIs and base IRI."""

    text: str
    default_graph: tuple[str, ...] | None = None  # None: the union of every graph
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None


def entity_iri(path: str) -> str:
    """The otkg IRI a URL path names; 404 when it names none."""
    if not path.startswith(PREFIX_PATHS) or IRI_BAD.search(path) or ".." in path or len(path) > 512:
        raise Problem(404, "Not found", f"'/{path}' is not an otkg entity path")
    return BASE + path


def check_iri(iri: str) -> str:
    """An `iri` parameter that must be an otkg IRI; 422 naming it otherwise."""
    if not iri.startswith(BASE) or IRI_BAD.search(iri) or len(iri) > 2048:
        raise Problem(
            422,
            "Invalid parameter",
            "parameter 'iri': must be an otkg IRI starting with " + BASE,
            parameter="iri",
        )
    return iri


def _not_found(iri: str) -> Problem:
    return Problem(404, "Not found", f"nothing in the graph is about <{iri}>")


async def description(reads: Reads, iri: str) -> tuple[list[ox.Triple], bool]:
    """The entity's triples, links into it and the claims about it, at most the triple cap, and
    whether there were more; 404 when nothing in the graph is about it."""
    try:
        ox.NamedNode(iri)
    except ValueError:  # e.g. U+FFFE, which passes the character check: nothing can be about it
        raise _not_found(iri) from None
    found = await reads.run(Read("describe", (iri, reads.settings.triple_cap)))
    if found is None:
        raise _not_found(iri)
    return found


async def named_graph(reads: Reads, iri: str, media_type: str) -> tuple[bytes, int, bool]:
    """What the named graph <iri> holds, written in `media_type` (N-Quads and TriG keep its name), at
    most the triple cap: the bytes, how many triples and whether there were more; 404 when it holds
    nothing."""
    found = await reads.run(Read("named_graph", (iri, media_type, reads.settings.triple_cap)))
    if found is None:
        raise Problem(404, "Not found", f"no graph <{iri}> in the store")
    return found


async def trace(reads: Reads, iri: str, context: int = 80, documents: bool = True) -> tuple[dict, bool]:
    """The evidence chain of an entity or claim (kg.query.trace), at most the row cap's pieces of evidence,
    and whether there were more; quotes in `context` characters of their documents (else the
    graph's prefix and suffix). 404 when nothing in the graph is about it."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise _not_found(iri) from None
    found = await reads.run(Read("evidence", (iri, reads.settings.row_cap)))
    if found is None:
        raise _not_found(iri)
    more = found.pop("more", False)
    return in_context(found, context, reads.services.documents if documents else None), more


async def search(reads: Reads, q: str, limit: int) -> list[Hit]:
    """Entities holding every word of q, best first."""
    if "\x00" in q or any(0xD800 <= ord(c) <= 0xDFFF for c in q):
        raise Problem(
            422, "Invalid parameter", "parameter 'q': contains a NUL or unpaired surrogate", parameter="q"
        )
    return await reads.search(q, limit)


def named(reads: Reads, name: str) -> NamedQuery:
    """A catalogue query by its slug; 404 when there is none."""
    q = reads.services.catalog.get(name)
    if q is None:
        raise Problem(404, "Not found", f"no named query '{name}'; see /queries")
    return q


def query_inputs(pairs) -> tuple[dict[str, str], dict[str, str]]:
    """A named query's request parameters split into its own and the answer's window (limit,
    offset); 400 when one of its own, `format` or `bom` is given twice."""
    given = list(pairs)
    names = [k for k, _ in given]
    params = {k: v for k, v in given if k not in WINDOW}
    if any(names.count(k) > 1 for k in (*params, "format", "bom")):
        raise Problem(400, "Bad request", "each parameter may be given once")
    return params, {k: v for k, v in given if k in ("limit", "offset")}


def _whole(raw: str | None, name: str, default: int) -> int:
    if raw is None:
        return default
    if not query_service.INTEGER.match(raw):
        raise query_service.ParamError(name, "must be a whole number")
    return int(raw)


def window(given: dict[str, str]) -> tuple[int, int]:
    """A SELECT's page: `limit` rows (100 unless given) from `offset`, checked."""
    limit, offset = _whole(given.get("limit"), "limit", 100), _whole(given.get("offset"), "offset", 0)
    query_service.check_window(limit, offset)
    return limit, offset


async def run_named(
    reads: Reads,
    q: NamedQuery,
    text: str,
    limit: int,
    offset: int,
    select_format: str | None,
    graph_format: str | None,
    graph_name: str | None = None,
) -> Answer:
    """A named query's answer (its text bound by kg.query.query_service.bound_text) serialised in the worker:
    a SELECT's page from `offset` (`limit` rows), another form's answer up to the triple cap (in
    N-Quads and TriG, in the graph `graph_name` when given)."""
    if q.form == "SELECT":
        return await reads.run(Job(text, select_format, None, None, limit=limit, offset=offset))
    cap = reads.settings.triple_cap
    return await reads.run(Job(text, None, graph_format, graph_format, limit=cap, graph_name=graph_name))


async def named_table(reads: Reads, q: NamedQuery, text: str, limit: int, offset: int) -> Table:
    """A named query's answer as terms for a page's table (the first SHOWN rows)."""
    if q.form != "SELECT":
        limit, offset = reads.settings.triple_cap, 0
    return await reads.run(Read("table", (text, limit, offset, SHOWN)))


async def catalogue_rows(
    reads: Reads, name: str, limit: int = query_service.MAX_LIMIT, **params: str
) -> tuple[list[dict[str, str]], bool]:
    """A catalogue query's rows as plain values (what the pages draw), and whether there were more."""
    q = reads.services.catalog.get(name)
    if q is None:
        return [], False
    found = await reads.run(Read("table", (query_service.bound_text(q, params), limit, 0, limit)))
    return [{k: v.value for k, v in row.items()} for row in found.rows], found.more


def single(values: list[str], name: str) -> str | None:
    """A protocol parameter given at most once; 400 otherwise."""
    if len(values) > 1:
        raise Problem(400, "Bad request", f"'{name}' given {len(values)} times; give it once")
    return values[0] if values else None


def refuse_update(params: dict[str, list[str]]) -> None:
    """403 for a SPARQL Update: the endpoint answers queries only."""
    if "update" in params:
        raise Problem(
            403, "Updates refused", "this endpoint answers queries only; SPARQL Update is not accepted"
        )


def base_url(request: Request) -> str:
    """`str(request.base_url)`, made once per host: Starlette builds it anew for every request
    (about 10 us of a one-row answer), from the four parts of the request url_base names."""
    return _base_url(*url_base(request.scope))


def url_base(scope) -> tuple[str, tuple | None, bytes | None, str]:
    """What the server's own URLs are made from: scheme, server address, Host (the first, as
    Starlette reads it) and root path. Answers that hold them (the endpoint's IRI, against which a
    query's relative IRIs resolve; a next page's Link) differ by them, so the response cache keys
    on this too."""
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    server = scope.get("server")
    root = scope.get("app_root_path", scope.get("root_path", ""))
    return scope.get("scheme", "http"), tuple(server) if server else None, host, root


@functools.lru_cache(maxsize=256)
def _base_url(scheme: str, server: tuple | None, host: bytes | None, root: str) -> str:
    headers = [(b"host", host)] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "headers": headers}
    return str(Request({**scope, "path": root, "root_path": root, "query_string": b""}).base_url)


def endpoint(request: Request) -> str | None:
    """The SPARQL endpoint's own IRI, against which relative IRIs in a query resolve; None when the
    Host header makes no IRI (relative IRIs in a query then stay errors)."""
    iri = base_url(request) + "sparql"
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


def raw_query(text: str, params: dict[str, list[str]], base_iri: str | None, max_length: int) -> RawQuery:
    """A SPARQL 1.1 Protocol request's query, checked (check_query_text) with its dataset IRIs.
    Relative IRIs in it resolve against `base_iri`, the endpoint's own (endpoint())."""
    check_query_text(text, max_length)
    return RawQuery(
        text,
        _graphs(params.get("default-graph-uri", [])),
        _graphs(params.get("named-graph-uri", [])),
        base_iri,
    )


def check_query_text(query: str, max_length: int) -> None:
    """Refuse over-long queries and ones that would fetch from elsewhere, before the engine sees them."""
    if len(query) > max_length:
        raise Problem(413, "Query too large", f"the query is over {max_length} characters")
    if could_exceed(query):  # most queries hold too few brackets and items to be measured at all
        refused = _depth_refused(query)
        if refused:
            raise Problem(400, "Query refused", refused)
    keyword = fetching_keyword(query)  # in any reading of the text: pyoxigraph would fetch it
    if keyword:
        raise Problem(400, "Query refused", f"{keyword} is not allowed: otkg never fetches remote data")


@functools.lru_cache(maxsize=64)  # a long query sent again (by POST: GETs are cached whole) is scanned once
def _depth_refused(query: str) -> str | None:
    return _too_deep(nesting(query))


def _too_deep(depth: Nesting) -> str | None:
    # pyoxigraph parses by recursion with no limit of its own: a deeper query would crash a worker
    if depth.brackets > MAX_DEPTH:
        return (
            f"the query nests {depth.brackets} levels deep or more in brackets ({{, ( or [); "
            f"at most {MAX_DEPTH} are allowed"
        )
    if depth.levels > MAX_LEVELS:
        return (
            f"the query is more than {MAX_LEVELS} levels deep: within its brackets, each operator "
            "(! || && + - * / = < > | ^) and each term or group in a row (as in a chain of UNION, "
            "OPTIONAL, MINUS or BIND, or DESCRIBE's terms) is a level the engine's parser recurses on; "
            f"at most {MAX_LEVELS} are allowed (VALUES data and comma-separated lists are not counted)"
        )
    if depth.unclear:
        return f"the query's depth cannot be checked: {depth.unclear}"
    return None


def _graphs(iris: list[str]) -> tuple[str, ...] | None:
    # Named graphs are looked up in the store only; otkg never fetches a graph IRI.
    try:
        return tuple(ox.NamedNode(i).value for i in iris) if iris else None
    except ValueError:
        raise Problem(
            400, "Bad request", "a default-graph-uri or named-graph-uri is not a valid IRI"
        ) from None


async def run_sparql(
    reads: Reads,
    query: RawQuery,
    select_format: str | None,
    graph_format: str | None,
    boolean_format: str | None,
) -> Answer:
    """A raw query's answer serialised in the worker: SELECT rows cut at the row cap, CONSTRUCT and
    DESCRIBE triples at the triple cap, as a named query's (Answer.more says it was cut)."""
    return await reads.run(
        Job(
            query.text,
            select_format,
            graph_format,
            boolean_format,
            limit=reads.settings.row_cap,
            default_graph=query.default_graph,
            named_graphs=query.named_graphs,
            base_iri=query.base_iri,
            graph_limit=reads.settings.triple_cap,
        )
    )


async def sparql_table(reads: Reads, query: RawQuery) -> Table:
    """A raw query's answer as terms for the editor's table, cut at the row cap."""
    return await reads.run(
        Read(
            "table",
            (
                query.text,
                reads.settings.row_cap,
                0,
                SHOWN,
                query.default_graph,
                query.named_graphs,
                query.base_iri,
            ),
        )
    )
