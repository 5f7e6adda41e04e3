"""SPARQL 1.1 Protocol query endpoint: GET, POST form, POST direct; updates are refused."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.sparql_text import fetching_keyword, nesting_depth
from kg.query_jobs import Job

from .. import pages
from ..errors import Problem
from ..execution import execute
from ..negotiation import GRAPH_FORMATS, RESULT_FORMATS, bom_wanted, choose, choose_or_none, with_bom
from ..service_description import graph_counts, service_description

router = APIRouter(tags=["sparql"])
MAX_DEPTH = 128
CHARSET = re.compile(r';\s*charset\s*=\s*"?([^";\s]+)', re.IGNORECASE)


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise Problem(400, "Bad request", f"'{name}' given {len(values)} times; give it once")
    return values[0] if values else None


def _format(values: list[str]) -> str | None:
    """`format` once, or repeated naming one format, as SPARQLWrapper sends it: its own name, then
    media types (`format=json-ld&format=application/ld+json,application/x-json+ld`)."""
    if len(values) > 1:
        named = [{f for f in RESULT_FORMATS + GRAPH_FORMATS
                  if any(f.selected_by(n.strip().lower()) for n in v.split(","))} for v in values]
        if not set.intersection(*named):
            raise Problem(400, "Bad request", f"'format' given {len(values)} times naming different formats")
    return values[0] if values else None


def _graphs(iris: list[str]) -> tuple[str, ...] | None:
    # Named graphs are looked up in the store only; otkg never fetches a graph IRI.
    try:
        return tuple(ox.NamedNode(i).value for i in iris) if iris else None
    except ValueError:
        raise Problem(400, "Bad request", "a default-graph-uri or named-graph-uri is not a valid IRI") from None


async def _protocol_params(request: Request) -> dict[str, list[str]]:
    if request.scope["query_string"].isascii():  # then Starlette's parse (latin-1) is this one: reuse it
        params: dict[str, list[str]] = {}
        for k, v in request.query_params.multi_items():
            params.setdefault(k, []).append(v)
    else:
        params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        return params
    content_type = request.headers.get("content-type", "")
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise Problem(403, "Updates refused", "this endpoint answers queries only; SPARQL Update is not accepted")
    if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise Problem(415, "Unsupported media type", "POST needs Content-Type "
                      "application/x-www-form-urlencoded or application/sparql-query")
    charset = CHARSET.search(content_type)
    if charset and charset[1].lower() not in ("utf-8", "utf8", "us-ascii"):
        raise Problem(415, "Unsupported media type", f"the request body must be UTF-8, not {charset[1]}")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "Bad request", "the request body is not UTF-8") from None
    if ctype == "application/x-www-form-urlencoded":
        for k, v in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(k, []).extend(v)
    else:
        if "query" in params:
            raise Problem(400, "Bad request", "a direct POST carries the query in its body, not in 'query'")
        params["query"] = [text]
    return params


def check_query_text(query: str, max_length: int) -> None:
    """Refuse over-long queries and ones that would fetch from elsewhere, before the engine sees them."""
    if len(query) > max_length:
        raise Problem(413, "Query too large", f"the query is over {max_length} characters")
    openers = query.count("{") + query.count("(") + query.count("[")
    depth = nesting_depth(query) if openers > MAX_DEPTH else openers  # no deeper than it has openers
    if depth > MAX_DEPTH:  # pyoxigraph's recursive parser takes the whole process down past ~2,500
        raise Problem(400, "Query refused", f"the query nests {depth} levels deep; at most {MAX_DEPTH} are allowed")
    keyword = fetching_keyword(query)  # in any reading of the text: pyoxigraph would fetch it
    if keyword:
        raise Problem(400, "Query refused", f"{keyword} is not allowed: otkg never fetches remote data")


async def run_and_serialize(request: Request, query: str, accept: str | None, fmt: str | None,
                            default_graph=None, named_graphs=None, base_iri: str | None = None,
                            bom: bool = False) -> Response:
    """Run a raw query in the worker pool under the raw-query deadline and the row cap."""
    settings = request.app.state.settings
    formats = {"select": choose_or_none(accept, RESULT_FORMATS, fmt),
               "graph": choose_or_none(accept, GRAPH_FORMATS, fmt),
               "boolean": choose_or_none(accept, RESULT_FORMATS, fmt)}
    if not any(formats.values()):  # nothing fits any kind of answer: say so before running it
        choose(accept, RESULT_FORMATS + GRAPH_FORMATS, fmt)
    job = Job(query, formats["select"] and formats["select"].name,
              formats["graph"] and formats["graph"].content_type, formats["boolean"] and formats["boolean"].media_type,
              limit=settings.row_cap, default_graph=default_graph, named_graphs=named_graphs, base_iri=base_iri)
    answer = await execute(request, job, settings.query_deadline)
    headers = {}
    if answer.more:  # never silent: the client is told the answer was cut at the cap
        headers = {"X-OTKG-Truncated": "true", "X-OTKG-Row-Cap": str(settings.row_cap)}
    media_type = formats[answer.kind].content_type
    return Response(with_bom(answer.body, media_type, bom), media_type=media_type, headers=headers)


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)", operation_id="sparql_get")
@router.post("/sparql", summary="SPARQL 1.1 Protocol query (POST form or direct)", operation_id="sparql_post")
@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
async def sparql(request: Request) -> Response:
    """Run a SPARQL query (GET ?query=, POST form, or POST application/sparql-query)."""
    if request.method == "GET" and pages.wants_html(request):  # the editor runs queries through this handler
        return await pages.sparql_page(request, sparql)
    params = await _protocol_params(request)
    if "update" in params:
        raise Problem(403, "Updates refused", "this endpoint answers queries only; SPARQL Update is not accepted")
    query = _single(params.get("query", []), "query")
    fmt = _format(params.get("format", []))
    bom = bom_wanted(_single(params.get("bom", []), "bom"))
    accept = request.headers.get("accept")
    endpoint = str(request.base_url) + "sparql"
    try:
        ox.NamedNode(endpoint)
    except ValueError:  # a Host header that makes no IRI: relative IRIs in the query stay errors
        endpoint = None
    if query is None:
        f = choose(accept, GRAPH_FORMATS, fmt)
        endpoint = endpoint or "http://127.0.0.1/sparql"
        body = service_description(endpoint, endpoint.removesuffix("sparql") + ".well-known/void",
                                   await graph_counts(request), f)
        return Response(body, media_type=f.content_type)
    check_query_text(query, request.app.state.settings.max_query_length)
    return await run_and_serialize(request, query, accept, fmt, _graphs(params.get("default-graph-uri", [])),
                                   _graphs(params.get("named-graph-uri", [])), base_iri=endpoint, bom=bom)
