"""The query catalogue as pages: the list, and a form per named query built from its header."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from kg import query_service
from kg.namespaces import PREFIXES
from kg.query_catalog import NamedQuery, Param

from ..errors import Problem
from . import results
from .render import page

INPUT_TYPES = {"iri": "url", "string": "text", "integer": "number", "decimal": "number"}
CHOICES_QUERY = "entities-of-class"  # the instances of a param's class, with labels
MAX_CHOICES = 300  # a list up to this long; past it a typed field suggests the first ones
DOWNLOADS = {
    "SELECT": [("csv", "CSV"), ("json", "JSON")],
    "ASK": [("json", "JSON")],
    "CONSTRUCT": [("turtle", "Turtle"), ("jsonld", "JSON-LD")],
    "DESCRIBE": [("turtle", "Turtle"), ("jsonld", "JSON-LD")],
}


def catalogue_rows(services, name: str, **params: str) -> list[dict[str, str]]:
    """Every row of a catalogue query the pages show (home counts, sources, matrices, a cluster's
    packages); parameters are bound by the query service like any named query's."""
    q = services.catalog.get(name)
    if q is None:
        return []
    found = query_service.run_select(services.store, q, params, query_service.MAX_LIMIT, 0)
    return [{k: v.value for k, v in row.items()} for row in found.rows]


def query_list(request: Request, services) -> HTMLResponse:
    """Every named query with its question, parameters and tags."""
    return page(request, "queries.html", queries=sorted(services.catalog.values(), key=lambda q: q.name))


def choices(services, p: Param) -> tuple[list[tuple[str, str]], bool] | None:
    """The entities an iri param's class offers, as (IRI, label) by label, and whether there are more
    than MAX_CHOICES; None when the param names no class. One bounded catalogue query."""
    q = services.catalog.get(CHOICES_QUERY)
    if p.class_iri is None or q is None:
        return None
    found = query_service.run_select(services.store, q, {"class": p.class_iri}, MAX_CHOICES, 0)
    rows = [(r["entity"].value, r["label"].value if "label" in r else r["entity"].value) for r in found.rows]
    return rows, found.has_next


def _curie(iri: str) -> str:
    return next((f"{p}:{iri[len(ns):]}" for p, ns in PREFIXES.items() if iri.startswith(str(ns))), iri)


def _field(p: Param, value: str | None, offered=None) -> dict:
    """One form control for a header parameter: its input type, options, hint and current value;
    an iri param's class instances (`offered`) become a list, or suggestions when there are many."""
    options = (
        [str(o) for o in p.enum] if p.type == "enum" else ["true", "false"] if p.type == "boolean" else []
    )
    shown = value if value is not None else ("" if p.default is None else str(p.default))
    entities, more = offered or ([], False)
    listed = bool(entities) and not more
    if listed and shown and shown not in {iri for iri, _ in entities}:
        entities = [*entities, (shown, shown)]  # a value given in the URL stays what is sent
    return {
        "entities": entities if listed else [],
        "suggestions": entities if not listed else [],
        "more": more,
        "class_name": p.class_iri and _curie(p.class_iri),
        "name": p.name,
        "type": INPUT_TYPES.get(p.type, "text"),
        "options": options,
        "required": p.required,
        "value": shown,
        "example": str(p.example),
        "description": p.description,
        "kind": p.type,
        "step": "1" if p.type == "integer" else "any" if p.type == "decimal" else None,
        "maxlength": None if p.type in ("integer", "decimal", "iri") else p.max_length,
    }


async def query_page(request: Request, services, name: str, run) -> HTMLResponse:
    """The form; once submitted (or when nothing is required), the answer through `run` (the API's
    run_query), as a table with download links; a bad value shows the problem with its 4xx status."""
    q: NamedQuery | None = services.catalog.get(name)
    if q is None:
        raise Problem(404, "Not found", f"no named query '{name}'; see /queries")
    given = [(k, v) for k, v in request.query_params.multi_items() if v != ""]
    values = dict(request.query_params)
    runs = bool(request.query_params) or not any(p.required for p in q.params)
    found, error, status = None, None, 200
    if runs:
        try:
            found = await results.read(await run(results.api_request(request, given)))
        except (Problem, query_service.ParamError) as exc:
            status = getattr(exc, "status", 422)
            error = {"title": getattr(exc, "title", "Invalid parameter"), "detail": str(exc)}
    downloads = [
        (label, f"{request.url.path}?{urlencode(given + [('format', fmt)])}")
        for fmt, label in DOWNLOADS[q.form]
    ]
    example = urlencode([(p.name, str(p.example)) for p in q.params])
    offered = {p.name: await run_in_threadpool(choices, services, p) for p in q.params if p.class_iri}
    return page(
        request,
        "query.html",
        status,
        q=q,
        fields=[_field(p, values.get(p.name), offered.get(p.name)) for p in q.params],
        window={"limit": values.get("limit", "100"), "offset": values.get("offset", "0")},
        found=found,
        error=error,
        downloads=downloads if found else [],
        example=f"{request.url.path}?{example}" if q.params else None,
        max_limit=query_service.MAX_LIMIT,
    )
