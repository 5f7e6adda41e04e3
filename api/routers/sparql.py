"""SPARQL 1.1 Protocol query endpoint: GET, POST form, POST direct; updates are refused.

Browsers get the editor page (api/pages/editor.py, chosen by or_page); queries run through api.service.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import pages, service
from ..errors import Problem
from ..execution import Reads
from ..negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    accept_of,
    bom_wanted,
    choose,
    choose_or_none,
    select_format,
    with_bom,
)
from ..pages import yasgui
from ..pages.render import or_page
from ..service import MAX_DEPTH, check_query_text  # noqa: F401 - where the security tests look for them
from ..service_description import graph_counts, service_description

router = APIRouter(tags=["sparql"])
CHARSET = re.compile(r';\s*charset\s*=\s*"?([^";\s]+)', re.IGNORECASE)


def _format(values: list[str]) -> str | None:
    """`format` once, or repeated naming one format, as SPARQLWrapper sends it: its own name, then
    media types (`format=json-ld&format=application/ld+json,application/x-json+ld`)."""
    if len(values) > 1:
        named = [
            {
                f
                for f in RESULT_FORMATS + GRAPH_FORMATS
                if any(f.selected_by(n.strip().lower()) for n in v.split(","))
            }
            for v in values
        ]
        if not set.intersection(*named):
            raise Problem(400, "Bad request", f"'format' given {len(values)} times naming different formats")
    return values[0] if values else None


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
        raise Problem(
            403, "Updates refused", "this endpoint answers queries only; SPARQL Update is not accepted"
        )
    if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise Problem(
            415,
            "Unsupported media type",
            "POST needs Content-Type application/x-www-form-urlencoded or application/sparql-query",
        )
    charset = CHARSET.search(content_type)
    if charset and charset[1].lower() not in ("utf-8", "utf8", "us-ascii"):
        raise Problem(415, "Unsupported media type", f"the request body must be UTF-8, not {charset[1]}")
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "Bad request", "the request body is not UTF-8") from None
    if ctype == "application/x-www-form-urlencoded":
        for k, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(k, []).extend(values)
    else:
        if "query" in params:
            raise Problem(400, "Bad request", "a direct POST carries the query in its body, not in 'query'")
        params["query"] = [text]
    return params


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)", operation_id="sparql_get")
@router.post("/sparql", summary="SPARQL 1.1 Protocol query (POST form or direct)", operation_id="sparql_post")
@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
@or_page(pages.sparql_page)
async def sparql(request: Request) -> Response:
    """Run a SPARQL query (GET ?query=, POST form, or POST application/sparql-query)."""
    params = await _protocol_params(request)
    service.refuse_update(params)
    text = service.single(params.get("query", []), "query")
    fmt = _format(params.get("format", []))
    bom = bom_wanted(service.single(params.get("bom", []), "bom"))
    accept = accept_of(request)
    if text is None:
        f = choose(accept, GRAPH_FORMATS, fmt)
        endpoint = service.endpoint(request) or "http://127.0.0.1/sparql"
        body = service_description(
            endpoint, endpoint.removesuffix("sparql") + ".well-known/void", await graph_counts(request), f
        )
        return Response(body, media_type=f.content_type)
    settings = request.app.state.settings
    query = service.raw_query(text, params, service.endpoint(request), settings.max_query_length)
    formats = {
        "select": choose_or_none(accept, RESULT_FORMATS, fmt),
        "graph": choose_or_none(accept, GRAPH_FORMATS, fmt),
        "boolean": choose_or_none(accept, RESULT_FORMATS, fmt),
    }
    if not any(formats.values()):  # nothing fits any kind of answer: say so before running it
        choose(accept, RESULT_FORMATS + GRAPH_FORMATS, fmt)
    select, graph, boolean = formats["select"], formats["graph"], formats["boolean"]
    answer = await service.run_sparql(
        Reads(request, settings.query_deadline),
        query,
        select_format(select, bom) if select else None,
        graph.content_type if graph else None,
        boolean.media_type if boolean else None,
    )
    headers = {}
    if answer.more:  # never silent: the client is told the answer was cut, and at which cap
        headers = (
            {"X-OTKG-Truncated": "true", "X-OTKG-Triple-Cap": str(settings.triple_cap)}
            if answer.kind == "graph"
            else {"X-OTKG-Truncated": "true", "X-OTKG-Row-Cap": str(settings.row_cap)}
        )
    chosen = formats[answer.kind]
    if chosen is None:  # run_sparql answers a kind it was given no format for only by a bug
        raise RuntimeError(f"a {answer.kind} answer with no format chosen for it")
    media_type = chosen.content_type
    return Response(with_bom(answer.body, media_type, bom), media_type=media_type, headers=headers)


@router.get(yasgui.PATH + "{name}", include_in_schema=False)
async def yasgui_asset(name: str, v: str | None = None) -> Response:
    """YASGUI's files for the editor page (GET /sparql from a browser), served by this server."""
    return yasgui.asset(name, v)
