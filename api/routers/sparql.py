"""SPARQL 1.1 Protocol query endpoint: GET, POST form, POST direct; updates are refused."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.sparql_text import QUOTED, nesting_depth
from kg.store import is_graph_result

from ..deps import ServicesDep, SettingsDep
from ..errors import Problem
from ..negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
from ..service_description import service_description

router = APIRouter(tags=["sparql"])
# Keywords that would make the store reach out or change: refused before parsing.
FORBIDDEN = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)
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


def _graphs(iris: list[str]) -> list[ox.NamedNode] | None:
    # Named graphs are looked up in the store only; otkg never fetches a graph IRI.
    try:
        return [ox.NamedNode(i) for i in iris] if iris else None
    except ValueError:
        raise Problem(400, "Bad request", "a default-graph-uri or named-graph-uri is not a valid IRI") from None


async def _protocol_params(request: Request) -> dict[str, list[str]]:
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
    depth = nesting_depth(query)
    if depth > MAX_DEPTH:  # pyoxigraph's recursive parser takes the whole process down past ~2,500
        raise Problem(400, "Query refused", f"the query nests {depth} levels deep; at most {MAX_DEPTH} are allowed")
    m = FORBIDDEN.search(QUOTED.sub(" ", query))
    if m:
        raise Problem(400, "Query refused", f"{m.group(1).upper()} is not allowed: otkg never fetches remote data")


def run_and_serialize(services, query: str, accept: str | None, fmt: str | None,
                      default_graph=None, named_graphs=None, base_iri: str | None = None) -> Response:
    try:
        result = services.store.query(query, default_graph=default_graph, named_graphs=named_graphs,
                                      base_iri=base_iri)
    except SyntaxError as exc:
        raise Problem(400, "Malformed query", f"SPARQL syntax error: {exc}") from None
    if is_graph_result(result):
        f = choose(accept, GRAPH_FORMATS, fmt)
        return Response(result.serialize(format=f.rdf), media_type=f.media_type)
    formats = RESULT_FORMATS[:2] if isinstance(result, ox.QueryBoolean) else RESULT_FORMATS
    f = choose(accept, formats, fmt)
    return Response(result.serialize(format=f.results), media_type=f.media_type)


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)", operation_id="sparql_get")
@router.post("/sparql", summary="SPARQL 1.1 Protocol query (POST form or direct)", operation_id="sparql_post")
@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
async def sparql(request: Request, services: ServicesDep, settings: SettingsDep) -> Response:
    """Run a SPARQL query (GET ?query=, POST form, or POST application/sparql-query)."""
    params = await _protocol_params(request)
    if "update" in params:
        raise Problem(403, "Updates refused", "this endpoint answers queries only; SPARQL Update is not accepted")
    query = _single(params.get("query", []), "query")
    fmt = _format(params.get("format", []))
    accept = request.headers.get("accept")
    endpoint = str(request.base_url) + "sparql"
    try:
        ox.NamedNode(endpoint)
    except ValueError:  # a Host header that makes no IRI: relative IRIs in the query stay errors
        endpoint = None
    if query is None:
        f = choose(accept, GRAPH_FORMATS, fmt)
        return Response(service_description(endpoint or "http://127.0.0.1/sparql", f.rdf), media_type=f.media_type)
    check_query_text(query, settings.max_query_length)
    return run_and_serialize(services, query, accept, fmt, _graphs(params.get("default-graph-uri", [])),
                             _graphs(params.get("named-graph-uri", [])), base_iri=endpoint)
