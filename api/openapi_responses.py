"""The OpenAPI description completed after FastAPI generates it: every operation's problem+json errors,
the media types each one really answers with, and the SPARQL 1.1 Protocol inputs of /sparql (which
its handler reads from the raw request, so FastAPI cannot see them)."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ..kg.query.query_catalog import NamedQuery
from . import openapi_choices
from .errors import PROBLEM
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS
from .routers.ontology import OWL_FIRST
from .routers.queries import operations

log = logging.getLogger(__name__)
ENTITY_JSON = "application/json"
GRAPH_READ = "/graph/local/{slug}"  # GET answers the graph (api.routers.graph_reads); PUT and DELETE write it
PROBLEM_SCHEMA = {
    "type": "object",
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "parameter": {"type": "string", "description": "the parameter that was wrong"},
    },
}
SPARQL_JSON = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "boolean": {"type": "boolean"},
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
        },
    },
}
ERRORS = {
    400: "Malformed query, a query refused (SERVICE, LOAD, too deep), or a parameter given twice",
    401: "A write without a valid token",
    403: "Not allowed: SPARQL Update on the query endpoint, or a write this token may not make",
    404: "Nothing in the graph is about this IRI",
    406: "None of the accepted media types (Accept or `format`) is offered",
    413: "The query or upload is too large",
    414: "The URL is too long: POST the query instead",
    415: "The request body's media type or charset is not accepted",
    422: "A parameter fails its type or range; `parameter` names it",
    429: "This client's budget of query time is spent; see Retry-After",
    500: "The store could not be written (a read-only file system, no permission); `cause` names it",
    503: "No query worker is free, or the query ran past its deadline; see Retry-After",
    504: "The query ran past its deadline",
    507: "No space (or disk quota) left for the store; nothing was written, `cause` names it",
}
SPARQL_PARAMS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "example": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        "description": "a SPARQL 1.1 query; without one the service description is answered",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "override Accept: json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml, nquads, trig",
    },
    {
        "name": "bom",
        "in": "query",
        "required": False,
        "schema": {"type": "boolean", "default": False},
        "description": "true: a CSV answer starts with the UTF-8 byte order mark, so that Excel opens it as UTF-8",
    },
]
SPARQL_BODY = {
    "required": False,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {
                    "query": {"type": "string"},
                    "update": {"type": "string"},
                    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                    "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                },
            },
            "example": {"query": "ASK { ?s ?p ?o }"},
        },
        "application/sparql-query": {"schema": {"type": "string"}, "example": "ASK { ?s ?p ?o }"},
        "application/sparql-update": {"schema": {"type": "string"}, "description": "always refused (403)"},
    },
}


def _media(formats) -> dict:
    """Response content for the formats on offer, with a schema wherever the body is JSON."""
    content = {}
    for f in formats:
        schema = (
            SPARQL_JSON
            if f.media_type == "application/sparql-results+json"
            else {}
            if f.media_type.endswith("json")
            else {"type": "string"}
        )
        content[f.media_type] = {"schema": schema}
    return content


def _success(path: str, catalog: dict[str, NamedQuery], method: str = "get") -> dict | None:
    """The media types a path answers with, where they differ from FastAPI's application/json."""
    if path == "/sparql":
        return _media(RESULT_FORMATS + GRAPH_FORMATS)
    if path == GRAPH_READ:
        return _media(GRAPH_FORMATS) if method == "get" else None  # its PUT and DELETE answer no body
    if path == "/{path}":
        return {ENTITY_JSON: {"schema": {"type": "object"}}, **_media(GRAPH_FORMATS)}
    if path in ("/ontology", "/releases/{version}/{artifact}"):
        return _media(OWL_FIRST)  # RDF/XML first: what no Accept gets there
    if path == "/.well-known/void":
        return _media(GRAPH_FORMATS)
    q = catalog.get(path.removeprefix("/queries/")) if path.startswith("/queries/") else None
    if q is None:
        return None
    return _media(RESULT_FORMATS if q.form in ("SELECT", "ASK") else GRAPH_FORMATS)


def _errors(path: str, method: str, op: dict, success: dict | None) -> set[int]:
    """The error statuses an operation can answer with."""
    runs_queries = (
        path == "/sparql"
        or path.startswith("/queries/")
        or path in ("/trace", "/{path}", "/search", "/matrix")
        or (path == GRAPH_READ and method == "get")
    )
    writes = method not in ("get", "head") and path != "/sparql"
    codes = {422} if op.get("parameters") or op.get("requestBody") else set()
    if runs_queries:
        codes |= {429, 503, 504}
    if success and len(success) > 1:
        codes.add(406)
    if path == "/sparql":
        codes |= {400, 403, 413} | ({414} if method == "get" else {415})
    elif path.startswith(("/queries/", GRAPH_READ)):
        codes.add(400)  # a malformed parameter; a graph name that is not a slug
    other = not (path == "/" or path.startswith(("/sparql", "/queries", "/search")))
    if path in ("/trace", "/{path}") or other:
        codes.add(404)  # they look an IRI or a name up; so may routes added later (pages)
    if writes:
        codes |= {400, 401, 403, 404, 413, 415, 422, 500, 507}
    return codes


def complete(schema: dict, catalog: dict[str, NamedQuery]) -> dict:
    """Add errors, real media types and the /sparql inputs to a generated OpenAPI document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ProblemDetails"] = PROBLEM_SCHEMA
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            if path == "/sparql":
                op["parameters"] = SPARQL_PARAMS
                if method == "post":
                    op["requestBody"] = SPARQL_BODY
            success = _success(path, catalog, method)
            responses = op.setdefault("responses", {})
            if success is not None:
                responses.setdefault("200", {"description": "Successful Response"})["content"] = success
            for code in sorted(_errors(path, method, op, success)):
                responses[str(code)] = {"description": ERRORS[code], "content": problem}
    return schema


def _with_queries(paths: dict, catalog: dict[str, NamedQuery]) -> dict:
    """The generated paths with every named query's own operation after /queries (one route serves them)."""
    out = {}
    for path, ops in paths.items():
        out[path] = ops
        if path == "/queries":
            out.update(operations(catalog))
    return out


def _with_graph_choices(base: dict, catalog: dict[str, NamedQuery], store) -> dict | None:
    """The description with the entity choices read from the store; None if they cannot be read (a
    remote store down): the caller answers without them, and tries again next time."""
    try:
        return openapi_choices.with_choices(base, catalog, openapi_choices.read_choices(store, catalog))
    except Exception:
        log.exception("could not read the entity choices for /openapi.json; describing it without them")
        return None


def install(app: FastAPI, catalog: dict[str, NamedQuery]) -> None:
    """Make app.openapi() return the completed description: built once, as FastAPI does, with the
    entity choices of the store it serves (api.openapi_choices) read again when its generation changes."""
    base: dict = {}
    served: dict = {}  # the store generation the choices were read at -> the document with them

    def openapi() -> dict:
        if not base:
            generated = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            generated["paths"] = _with_queries(generated.get("paths", {}), catalog)
            base.update(complete(generated, catalog))
        services = getattr(app.state, "services", None)
        if services is None:  # generated without starting the app: no graph to read choices from
            app.openapi_schema = base
            return base
        key = (id(services.store), services.store.generation)
        if key not in served:
            with_choices = _with_graph_choices(base, catalog, services.store)
            if with_choices is None:
                return base
            served.clear()
            served[key] = with_choices
        app.openapi_schema = served[key]
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to supply the schema
