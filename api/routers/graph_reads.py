"""Graph Store Protocol reads: GET (and HEAD, api.head) of a Trust's local graph at the URL it was
PUT to, in every graph format; the writes at the same URL are api.routers.graphs.

The graph is read in a query worker like any other read (api.service.named_graph), under the read
deadline, the triple cap and the answer's byte limit; ETag and Cache-Control come from
api.release_headers, keyed on the store generation, so an upload or a removal changes them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...kg.pipeline import upload
from .. import service
from ..errors import Problem
from ..execution import Reads
from ..negotiation import GRAPH_FORMATS, accept_of, choose
from .entities import truncated

router = APIRouter(tags=["graphs"])


@router.get("/graph/local/{slug}", summary="Read a Trust's local package graph")
async def get_local_graph(slug: str, request: Request, format: str | None = None) -> Response:
    """The triples of the named graph <https://w3id.org/otkg/graph/local/{slug}> as stored, in
    Turtle, N-Triples, JSON-LD, RDF/XML, or N-Quads and TriG with the graph's name."""
    try:
        iri = upload.graph_iri(slug)
    except upload.UploadError as exc:
        raise Problem(exc.status, exc.title, exc.detail) from None
    f = choose(accept_of(request), GRAPH_FORMATS, format)
    reads = Reads(request, request.app.state.settings.read_deadline)
    body, count, more = await service.named_graph(reads, iri, f.content_type)
    headers = {
        "X-OTKG-Triples": str(count),
        **truncated(more, reads.settings.triple_cap, "X-OTKG-Triple-Cap"),
    }
    return Response(body, media_type=f.content_type, headers=headers)
