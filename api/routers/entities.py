"""Entity IRIs resolve here (/id/...), with provenance; /trace gives an evidence chain; /search."""
from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kg import jsonld
from kg import trace as trace_mod
from kg.namespaces import BASE
from kg.query_service import IRI_BAD

from .. import pages
from ..deps import ServicesDep
from ..errors import Problem
from ..links import link_header
from ..negotiation import GRAPH_FORMATS, Format, choose

router = APIRouter(tags=["entities"])
ENTITY_FORMATS = [Format("json", "application/json"), *GRAPH_FORMATS]
PREFIX_PATHS = ("id/", "claim/", "statement/", "graph/")


def _iri_for(path: str) -> str:
    if not path.startswith(PREFIX_PATHS) or IRI_BAD.search(path) or ".." in path or len(path) > 512:
        raise Problem(404, "Not found", f"'/{path}' is not an otkg entity path")
    return BASE + path


def _check_iri(iri: str) -> str:
    if not iri.startswith(BASE) or IRI_BAD.search(iri) or len(iri) > 2048:
        raise Problem(422, "Invalid parameter", "parameter 'iri': must be an otkg IRI starting with " + BASE,
                      parameter="iri")
    return iri


def _describe_response(services, iri: str, request: Request, fmt: str | None) -> Response:
    if not trace_mod.exists(services.store, iri):
        raise Problem(404, "Not found", f"nothing in the graph is about <{iri}>")
    f = choose(request.headers.get("accept"), ENTITY_FORMATS, fmt)
    if f.rdf is not None:
        body = jsonld.serialize(list(trace_mod.describe(services.store, iri)), f.content_type)
        return Response(body, media_type=f.content_type)
    triples = list(trace_mod.describe(services.store, iri))
    out = {"iri": iri, "properties": {}, "incoming": [], "trace": trace_mod.trace(services.store, iri)}
    for t in triples:
        if t.subject.value == iri:
            out["properties"].setdefault(t.predicate.value, []).append(_plain(t.object))
        elif t.object == ox.NamedNode(iri):
            out["incoming"].append({"subject": t.subject.value, "predicate": t.predicate.value})
    out["properties"] = {k: sorted(v, key=json.dumps) for k, v in sorted(out["properties"].items())}
    out["incoming"].sort(key=lambda x: (x["predicate"], x["subject"]))
    return JSONResponse(out)


def _plain(term) -> dict:
    if isinstance(term, ox.Literal):
        d = {"value": term.value}
        if term.language:
            d["lang"] = term.language
        else:
            d["datatype"] = term.datatype.value
        return d
    return {"iri": term.value}


@router.get("/trace", summary="Evidence chain of an entity or claim")
async def trace(request: Request, services: ServicesDep,
                iri: str = Query(..., max_length=2048, examples=[BASE + "id/intervention-04"]),
                context: int = Query(80, ge=0, le=500)) -> JSONResponse:
    """Claims -> exact quotes with context -> documents (file, SHA-256, offsets) -> cited references -> policy sources."""
    iri = _check_iri(iri)
    if pages.wants_html(request):
        return pages.trace(request, services, iri, context)
    if not trace_mod.exists(services.store, iri):
        raise Problem(404, "Not found", f"nothing in the graph is about <{iri}>")
    return JSONResponse(trace_mod.trace(services.store, iri, context, services.documents))


@router.get("/search", summary="Ranked text search")
async def search(request: Request, services: ServicesDep, q: str = Query(..., min_length=1, max_length=200),
                 limit: int = Query(20, ge=1, le=100)) -> JSONResponse:
    """Entities whose labels, definitions or quoted passages contain every word of q, best first."""
    if "\x00" in q or any(0xD800 <= ord(c) <= 0xDFFF for c in q):
        raise Problem(422, "Invalid parameter", "parameter 'q': contains a NUL or unpaired surrogate", parameter="q")
    if pages.wants_html(request):
        return pages.search(request, services, q, limit)
    hits = services.search.search(q, limit)
    return JSONResponse({"query": q, "hits": [h.__dict__ for h in hits]})


@router.get("/{path:path}", summary="Resolve an otkg IRI", include_in_schema=True)
async def resolve(path: str, request: Request, services: ServicesDep, format: str | None = None) -> Response:
    """Description of an entity, claim or statement with provenance (JSON, Turtle, JSON-LD, ...)."""
    iri = _iri_for(path)
    if pages.wants_html(request):
        response = pages.entity(request, services, iri)
    else:
        response = _describe_response(services, iri, request, format)
    if response.status_code == 200:
        response.headers["link"] = link_header(iri, "/" + path, ENTITY_FORMATS)
    return response
