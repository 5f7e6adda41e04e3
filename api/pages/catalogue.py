"""The query catalogue as pages: the list, and a form per named query built from its header."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import URL

from ...kg.namespaces import PREFIXES
from ...kg.query import query_service
from ...kg.query.query_catalog import Param
from .. import service
from ..errors import Problem
from ..execution import Reads
from ..negotiation import bom_wanted
from .render import page
from .results import results

ID = "https://w3id.org/otkg/id/"
INPUT_TYPES = {"iri": "url", "string": "text", "integer": "number", "decimal": "number"}
CHOICES_QUERY = "entities-of-class"  # the instances of a param's class, with labels
MAX_CHOICES = 300  # a list up to this long; past it a typed field suggests the first ones
DOWNLOADS = {
    "SELECT": [("csv", "CSV"), ("json", "JSON")],
    "ASK": [("json", "JSON")],
    "CONSTRUCT": [("turtle", "Turtle"), ("jsonld", "JSON-LD")],
    "DESCRIBE": [("turtle", "Turtle"), ("jsonld", "JSON-LD")],
}


async def query_list(request: Request) -> HTMLResponse:
    """Every named query with its question, parameters and tags."""
    catalog = request.app.state.services.catalog
    return page(request, "queries.html", queries=sorted(catalog.values(), key=lambda q: q.name))


async def choices(reads: Reads, p: Param) -> tuple[list[tuple[str, str]], bool] | None:
    """The entities an iri param's class offers, as (IRI, label) by label, and whether there are more
    than MAX_CHOICES; None when the param names no class. One bounded catalogue query."""
    if p.class_iri is None or CHOICES_QUERY not in reads.services.catalog:
        return None
    rows, more = await service.catalogue_rows(reads, CHOICES_QUERY, MAX_CHOICES, **{"class": p.class_iri})
    return distinguished([(r["entity"], r.get("label", r["entity"])) for r in rows]), more


def distinguished(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(IRI, label) pairs where two share a label (two imports of one sheet) given the IRI's own part
    as a detail: 'Synthetic Trust package (local/synthetic-a/package)'."""
    seen: dict[str, int] = {}
    for _, label in choices:
        seen[label] = seen.get(label, 0) + 1
    return [
        (iri, f"{label} ({iri.removeprefix(ID)})" if seen[label] > 1 and iri != label else label)
        for iri, label in choices
    ]


def _curie(iri: str) -> str:
    return next((f"{p}:{iri[len(ns) :]}" for p, ns in PREFIXES.items() if iri.startswith(str(ns))), iri)


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


def _next(path: str, given: list[tuple[str, str]], limit: int, offset: int) -> str:
    """The next page's URL: the same parameters with the window moved on (as the API's Link says)."""
    url = URL(f"{path}?{urlencode(given)}").include_query_params(offset=offset + limit, limit=limit)
    return url.path + ("?" + url.query if url.query else "")


async def _answer(reads: Reads, q, path: str, given: list[tuple[str, str]]):
    """The answer to the submitted form, checked as GET /queries/<name> checks it."""
    raw, window = service.query_inputs(given)
    bom_wanted(dict(given).get("bom"))
    text = query_service.bound_text(q, raw)
    if q.form != "SELECT":
        return results(await service.named_table(reads, q, text, 0, 0))
    limit, offset = service.window(window)
    table = await service.named_table(reads, q, text, limit, offset)
    return results(table, _next(path, given, limit, offset) if table.more else None)


async def query_page(name: str, request: Request) -> HTMLResponse:
    """The form; once submitted (or when nothing is required), the answer as a table with download
    links; a bad value shows the problem with its 4xx status."""
    reads = Reads(request, request.app.state.settings.named_query_deadline)
    q = service.named(reads, name)
    given = [(k, v) for k, v in request.query_params.multi_items() if v != ""]
    values = dict(request.query_params)
    runs = bool(request.query_params) or not any(p.required for p in q.params)
    found, error, status = None, None, 200
    if runs:
        try:
            found = await _answer(reads, q, request.url.path, given)
        except (Problem, query_service.ParamError) as exc:
            status = getattr(exc, "status", 422)
            error = {"title": getattr(exc, "title", "Invalid parameter"), "detail": str(exc)}
    downloads = [
        (label, f"{request.url.path}?{urlencode(given + [('format', fmt)])}")
        for fmt, label in DOWNLOADS[q.form]
    ]
    example = urlencode([(p.name, str(p.example)) for p in q.params])
    offered = {p.name: await choices(reads, p) for p in q.params if p.class_iri}
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
