"""The query catalogue over HTTP: list it, and run any named query by its slug.

Each .rq file becomes its own OpenAPI operation, generated from its header; one generic handler
serves them all.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kg import query_service
from kg.query_catalog import NamedQuery
from kg.query_jobs import Job

from .. import pages
from ..deps import ServicesDep
from ..errors import Problem
from ..execution import execute
from ..negotiation import GRAPH_FORMATS, RESULT_FORMATS, bom_wanted, choose, with_bom

WINDOW = ("limit", "offset", "format", "bom")  # the answer's shape, never bound into the query
BOM_PARAM = {"name": "bom", "in": "query", "schema": {"type": "boolean", "default": False},
             "description": "true: a CSV answer starts with the UTF-8 byte order mark, so that Excel "
                            "opens it as UTF-8 (other formats are unchanged)"}
OPENAPI_TYPES = {"iri": {"type": "string", "format": "uri"}, "string": {"type": "string"},
                 "integer": {"type": "integer"}, "decimal": {"type": "number"},
                 "boolean": {"type": "boolean"}, "enum": {"type": "string"}}


def describe(q: NamedQuery, request: Request) -> dict:
    return {"name": q.name, "summary": q.summary, "description": q.description, "tags": list(q.tags),
            "form": q.form, "sha256": q.sha256, "url": str(request.url_for("run_query", name=q.name)),
            "params": [{"name": p.name, "type": p.type, "required": p.required, "example": p.example,
                        "default": p.default, "description": p.description, **({"enum": list(p.enum)} if p.enum else {}),
                        **({"class": p.class_iri} if p.class_iri else {})}
                       for p in q.params]}


async def list_queries(request: Request, services: ServicesDep) -> JSONResponse:
    """Every catalogue query with its summary, parameters and URL."""
    if pages.wants_html(request):
        return pages.query_list(request, services)
    return JSONResponse([describe(q, request) for q in services.catalog.values()])


def _int(raw: str | None, name: str, default: int) -> int:
    if raw is None:
        return default
    if not query_service.INTEGER.match(raw):
        raise query_service.ParamError(name, "must be a whole number")
    return int(raw)


async def run_query(name: str, request: Request, services: ServicesDep) -> Response:
    """Run one named query with typed parameters; SELECT results are paged (limit/offset)."""
    if pages.wants_html(request):  # the form page runs the query through this same handler
        return await pages.query_page(request, services, name, lambda r: run_query(name, r, services))
    q = services.catalog.get(name)
    if q is None:
        raise Problem(404, "Not found", f"no named query '{name}'; see /queries")
    raw = {k: v for k, v in request.query_params.items() if k not in WINDOW}
    if any(len(request.query_params.getlist(k)) > 1 for k in (*raw, "format", "bom")):
        raise Problem(400, "Bad request", "each parameter may be given once")
    fmt, accept = request.query_params.get("format"), request.headers.get("accept")
    bom = bom_wanted(request.query_params.get("bom"))
    text = query_service.bound_text(q, raw)
    deadline = request.app.state.settings.named_query_deadline
    headers = {"X-OTKG-Query-SHA256": q.sha256}
    if q.form != "SELECT":
        formats = GRAPH_FORMATS if q.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
        f = choose(accept, formats, fmt)
        cap = request.app.state.settings.triple_cap
        answer = await execute(request, Job(text, None, f.content_type, f.content_type, limit=cap), deadline)
        if answer.more:  # never silent
            headers.update({"X-OTKG-Truncated": "true", "X-OTKG-Triple-Cap": str(cap)})
        return Response(with_bom(answer.body, f.media_type, bom), media_type=f.content_type, headers=headers)
    f = choose(accept, RESULT_FORMATS, fmt)
    limit = _int(request.query_params.get("limit"), "limit", 100)
    offset = _int(request.query_params.get("offset"), "offset", 0)
    query_service.check_window(limit, offset)
    answer = await execute(request, Job(text, f.name, None, None, limit=limit, offset=offset), deadline)
    if answer.more:
        nxt = request.url.include_query_params(offset=offset + limit, limit=limit)
        headers["Link"] = f'<{nxt}>; rel="next"'
    return Response(with_bom(answer.body, f.media_type, bom), media_type=f.media_type, headers=headers)


def _openapi(q: NamedQuery) -> dict:
    params = [{"name": p.name, "in": "query", "required": p.required, "description": p.description or p.name,
               "schema": {**OPENAPI_TYPES[p.type], **({"enum": list(p.enum)} if p.enum else {}),
                          **({"default": p.default} if p.default is not None else {})},
               "example": p.example} for p in q.params]
    if q.form == "SELECT":
        params += [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                    "maximum": query_service.MAX_LIMIT, "default": 100}},
                   {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}]
    params.append({"name": "format", "in": "query", "schema": {"type": "string"},
                   "description": "override Accept: json, xml, csv, tsv (SELECT, ASK) or turtle, ntriples, "
                                  "jsonld, rdfxml, nquads, trig"})
    if q.form in ("SELECT", "ASK"):
        params.append(BOM_PARAM)
    return {"parameters": params}


def _handler_for(name: str):
    async def handler(request: Request, services: ServicesDep) -> Response:
        return await run_query(name, request, services)
    return handler


def build_router(catalog: dict[str, NamedQuery]) -> APIRouter:
    """The list route plus one GET operation per named query, all served by run_query."""
    router = APIRouter(tags=["queries"])
    router.add_api_route("/queries", list_queries, methods=["GET"], summary="List the named queries")
    for q in catalog.values():
        router.add_api_route(f"/queries/{q.name}", _handler_for(q.name), methods=["GET"], summary=q.summary,
                             description=q.description, operation_id=f"query_{q.name.replace('-', '_')}",
                             tags=["queries", *q.tags], openapi_extra=_openapi(q), response_class=Response)
    router.add_api_route("/queries/{name}", run_query, methods=["GET"], name="run_query",
                         include_in_schema=False)
    return router
