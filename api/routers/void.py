"""GET /.well-known/void: the release's VoID description (the well-known URI of VoID §7.2, RFC 8615),
in the RDF format asked for, saying also which endpoint serves the dataset and where each release
file is downloaded (this server's /release/{version}/ URLs), with the size and SHA-256 of the bytes
served there."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...kg.namespaces import DATASET, PREFIXES, VOID
from ...kg.pipeline.release_files import SPDX, download_triples, in_order, read_void
from ...kg.query import jsonld
from .. import pages, service
from ..errors import Problem
from ..negotiation import GRAPH_FORMATS, accept_of, choose
from .release_files import distributions, download_base

router = APIRouter(tags=["dataset"])
TURTLE = GRAPH_FORMATS[0]
WRITTEN_PREFIXES = {**{k: str(v) for k, v in PREFIXES.items()}, "spdx": SPDX}


async def void_triples(request: Request) -> list[ox.Triple]:
    """The build's void.ttl, read once per release (it never changes within one)."""
    release = request.app.state.services.release.digest
    cached = getattr(request.app.state, "void", None)
    if cached and cached[0] == release:
        return cached[1]
    path = request.app.state.settings.build_dir / "void.ttl"
    if not path.is_file():
        raise Problem(404, "Not found", "this build has no VoID description (void.ttl); run `otkg build`")
    triples = await run_in_threadpool(read_void, path.parent)
    request.app.state.void = (release, triples)
    return triples


@router.get("/.well-known/void", summary="VoID description of the dataset", operation_id="void")
async def void(request: Request) -> Response:
    """The dataset's named graphs with their triples, sources and rights; its licence, version, and files
    with their download URLs, sizes and SHA-256 checksums."""
    browser = pages.wants_html(request)  # shown as text: Turtle reads well, and browsers download text/turtle
    f = TURTLE if browser else choose(accept_of(request), GRAPH_FORMATS, request.query_params.get("format"))
    triples = list(await void_triples(request))
    endpoint = service.endpoint(request)
    if endpoint is not None:  # else a Host header that makes no IRI: the endpoint is left out
        triples.append(
            ox.Triple(
                ox.NamedNode(str(DATASET)), ox.NamedNode(str(VOID.sparqlEndpoint)), ox.NamedNode(endpoint)
            )
        )
    base = download_base(request)
    if base is not None:  # as for the endpoint: a Host header that makes no URL gets no download URLs
        triples = in_order(triples + download_triples(await distributions(request), base))
    if f.profile:  # JSON-LD as every graph answer gives it: compacted, unless the expanded profile is asked
        return Response(jsonld.serialize(triples, f.content_type), media_type=f.content_type)
    body = ox.serialize(triples, format=f.rdf, prefixes=WRITTEN_PREFIXES)
    return Response(body, media_type="text/plain; charset=utf-8" if browser else f.media_type)
