"""Entity IRIs resolve here (/id/...), with provenance; /trace gives an evidence chain; /search.

Browsers get the pages of api/pages (chosen by or_page); every read goes through api.service.
"""

from __future__ import annotations

import functools
import json

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ...kg.namespaces import BASE
from ...kg.query import jsonld
from .. import pages, service
from ..execution import Reads
from ..links import link_header
from ..negotiation import GRAPH_FORMATS, Format, accept_of, choose
from ..pages.render import or_page

router = APIRouter(tags=["entities"])
ENTITY_FORMATS = [Format("json", "application/json"), *GRAPH_FORMATS]


def truncated(more: bool, cap: int, name: str = "X-OTKG-Row-Cap") -> dict:
    """Headers saying an answer was cut at a cap (never silently)."""
    return {"X-OTKG-Truncated": "true", name: str(cap)} if more else {}


def _linked(route):
    """An entity's answer, page or data, links its canonical IRI and its other formats."""

    @functools.wraps(route)
    async def linked(**kwargs):
        response = await route(**kwargs)
        if response.status_code == 200:
            path = kwargs["path"]
            response.headers["link"] = link_header(BASE + path, "/" + path, ENTITY_FORMATS)
        return response

    return linked


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
@or_page(pages.trace)
async def trace(
    request: Request,
    iri: str = Query(..., max_length=2048, examples=[BASE + "id/intervention-04"]),
    context: int = Query(80, ge=0, le=500),
) -> JSONResponse:
    """Claims -> exact quotes with context -> documents (file, SHA-256, offsets) -> cited references -> policy sources."""
    reads = Reads(request, request.app.state.settings.read_deadline)
    found, more = await service.trace(reads, service.check_iri(iri), context)
    return JSONResponse(found, headers=truncated(more, reads.settings.row_cap))


@router.get("/search", summary="Ranked text search")
@or_page(pages.search)
async def search(
    request: Request, q: str = Query(..., min_length=1, max_length=200), limit: int = Query(20, ge=1, le=100)
) -> JSONResponse:
    """Entities whose labels, definitions or quoted passages contain every word of q, best first."""
    hits = await service.search(Reads(request, request.app.state.settings.read_deadline), q, limit)
    return JSONResponse({"query": q, "hits": [h.__dict__ for h in hits]})


@router.get("/{path:path}", summary="Resolve an otkg IRI", include_in_schema=True)
@_linked
@or_page(pages.entity)
async def resolve(path: str, request: Request, format: str | None = None) -> Response:
    """Description of an entity, claim or statement with provenance (JSON, Turtle, JSON-LD, ...)."""
    iri = service.entity_iri(path)
    reads = Reads(request, request.app.state.settings.read_deadline)
    triples, more = await service.description(reads, iri)
    f = choose(accept_of(request), ENTITY_FORMATS, format)
    headers = truncated(more, reads.settings.triple_cap, "X-OTKG-Triple-Cap")
    if f.rdf is not None:
        return Response(jsonld.serialize(triples, f.content_type), media_type=f.content_type, headers=headers)
    found, more = await service.trace(reads, iri, documents=False)
    properties: dict[str, list] = {}
    incoming: list[dict[str, str]] = []
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            properties.setdefault(t.predicate.value, []).append(_plain(t.object))
        elif t.object == ox.NamedNode(iri) and isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            incoming.append({"subject": t.subject.value, "predicate": t.predicate.value})
    incoming.sort(key=lambda x: (x["predicate"], x["subject"]))
    out = {
        "iri": iri,
        "properties": {k: sorted(v, key=json.dumps) for k, v in sorted(properties.items())},
        "incoming": incoming,
        "trace": found,
    }
    return JSONResponse(out, headers={**headers, **truncated(more, reads.settings.row_cap)})
