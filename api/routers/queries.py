"""The query catalogue over HTTP: list it, and run any named query by its slug.

Each .rq file becomes its own OpenAPI operation, generated from its header (`operations`); one
route serves them all.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ...kg.query import query_service
from ...kg.query.query_catalog import NamedQuery
from .. import pages, service
from ..execution import Reads
from ..negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    accept_of,
    bom_wanted,
    choose,
    select_format,
    with_bom,
)
from ..pages.render import or_page

BOM_PARAM: dict[str, object] = {
    "name": "bom",
    "in": "query",
    "schema": {"type": "boolean", "default": False},
    "description": "true: a CSV answer starts with the UTF-8 byte order mark, so that Excel "
    "opens it as UTF-8 (other formats are unchanged)",
}
OPENAPI_TYPES = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "enum": {"type": "string"},
}


def describe(q: NamedQuery, request: Request) -> dict:
    return {
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "tags": list(q.tags),
        "form": q.form,
        "sha256": q.sha256,
        "url": str(request.url_for("run_query", name=q.name)),
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "example": p.example,
                "default": p.default,
                "description": p.description,
                **({"enum": list(p.enum)} if p.enum else {}),
                **({"class": p.class_iri} if p.class_iri else {}),
            }
            for p in q.params
        ],
    }


@or_page(pages.query_list)
async def list_queries(request: Request) -> JSONResponse:
    """Every catalogue query with its summary, parameters and URL."""
    return JSONResponse([describe(q, request) for q in request.app.state.services.catalog.values()])


@or_page(pages.query_page)
async def run_query(name: str, request: Request) -> Response:
    """Run one named query with typed parameters; SELECT results are paged (limit/offset)."""
    reads = Reads(request, request.app.state.settings.named_query_deadline)
    q = service.named(reads, name)
    raw, window = service.query_inputs(request.query_params.multi_items())
    fmt, accept = request.query_params.get("format"), accept_of(request)
    bom = bom_wanted(request.query_params.get("bom"))
    text = query_service.bound_text(q, raw)
    headers = {"X-OTKG-Query-SHA256": q.sha256}
    if q.form != "SELECT":
        f = choose(accept, GRAPH_FORMATS if q.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS, fmt)
        graph = q.graph_name(raw)  # N-Quads and TriG keep the graph the triples came from
        answer = await service.run_named(reads, q, text, 0, 0, None, f.content_type, graph)
        if answer.more:  # never silent
            headers.update({"X-OTKG-Truncated": "true", "X-OTKG-Triple-Cap": str(reads.settings.triple_cap)})
        return Response(with_bom(answer.body, f.media_type, bom), media_type=f.content_type, headers=headers)
    f = choose(accept, RESULT_FORMATS, fmt)
    limit, offset = service.window(window)
    answer = await service.run_named(reads, q, text, limit, offset, select_format(f, bom), None)
    if answer.more:
        nxt = request.url.include_query_params(offset=offset + limit, limit=limit)
        headers["Link"] = f'<{nxt}>; rel="next"'
    return Response(with_bom(answer.body, f.media_type, bom), media_type=f.media_type, headers=headers)


def _openapi(q: NamedQuery) -> dict:
    params = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description or p.name,
            "schema": {
                **OPENAPI_TYPES[p.type],
                **({"enum": list(p.enum)} if p.enum else {}),
                **({"default": p.default} if p.default is not None else {}),
            },
            "example": p.example,
        }
        for p in q.params
    ]
    if q.form == "SELECT":
        params += [
            {
                "name": "limit",
                "in": "query",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": query_service.MAX_LIMIT,
                    "default": 100,
                },
            },
            {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
        ]
    params.append(
        {
            "name": "format",
            "in": "query",
            "schema": {"type": "string"},
            "description": "override Accept: json, xml, csv, tsv (SELECT, ASK) or turtle, ntriples, "
            "jsonld, rdfxml, nquads, trig",
        }
    )
    if q.form in ("SELECT", "ASK"):
        params.append(BOM_PARAM)
    return {"parameters": params}


def operations(catalog: dict[str, NamedQuery]) -> dict[str, dict]:
    """Each named query's own OpenAPI operation (GET /queries/<name>), from its header: one route
    serves them all, and each stays documented as the question it answers."""
    return {
        f"/queries/{q.name}": {
            "get": {
                "tags": ["queries", "queries", *q.tags],
                "summary": q.summary,
                "description": q.description,
                "operationId": f"query_{q.name.replace('-', '_')}",
                **_openapi(q),
                "responses": {"200": {"description": "Successful Response"}},
            }
        }
        for q in catalog.values()
    }


def build_router() -> APIRouter:
    """The list route, and the one route that runs every named query by its slug (run_query)."""
    router = APIRouter(tags=["queries"])
    router.add_api_route("/queries", list_queries, methods=["GET"], summary="List the named queries")
    router.add_api_route(
        "/queries/{name}", run_query, methods=["GET"], name="run_query", include_in_schema=False
    )
    return router
