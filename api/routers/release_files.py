"""The served release's files at stable URLs: /release/{version}/{name} (the version's own URL, for
citing and pinning) and /release/latest/{name} (the same bytes, for scripts that want whatever is
current), the same folder `otkg release` writes; and /release.json, the release record."""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...kg.pipeline.release_files import distribution_files, release_contents
from .. import service
from ..errors import Problem

router = APIRouter(tags=["dataset"])
MEDIA_TYPES = {
    ".gz": "application/gzip",  # the dump as a file, not a Content-Encoding: its checksum is of these bytes
    ".ttl": "text/turtle",
    ".owl": "application/rdf+xml",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".cff": "application/yaml",
}
PLAIN = "text/plain; charset=utf-8"  # SHA256SUMS, as sha256sum writes it
FILE = {"schema": {"type": "string", "format": "binary"}}


async def distributions(request: Request) -> dict[str, bytes]:
    """The served build's distribution files, made once per release (gzipping takes about 0.6 s):
    the VoID's sizes and checksums and the files served are these bytes."""
    state = request.app.state
    digest = state.services.release.digest
    lock = getattr(state, "release_files_lock", None)
    if lock is None:  # set before any await, so two first requests share one lock
        lock = state.release_files_lock = asyncio.Lock()
    async with lock:
        cached = getattr(state, "release_files", None)
        if cached is None or cached[0] != digest:
            files = await run_in_threadpool(distribution_files, state.settings.build_dir)
            cached = state.release_files = (digest, files)
    return cached[1]


def download_base(request: Request) -> str | None:
    """The server's root URL, which download URLs start from; None when the Host header makes none."""
    base = service.base_url(request)
    try:
        ox.NamedNode(base + "release/")
    except ValueError:
        return None
    return base


@router.get(
    "/release/{version}/{name}",
    summary="A file of the served release",
    response_class=Response,
    responses={200: {"content": dict.fromkeys([*MEDIA_TYPES.values(), PLAIN], FILE)}},
)
async def release_file(
    request: Request, version: str = Path(..., max_length=64), name: str = Path(..., max_length=64)
) -> Response:
    """The graph (otkg.nq.gz, otkg.ttl.gz), the ontology files, release.json, void.ttl, RELEASE-NOTES.md,
    CITATION.cff, LICENSE-DATA.md or SHA256SUMS of the release `version` ('latest': the served one)."""
    served = request.app.state.services.release.version
    if version not in ("latest", served):
        raise Problem(
            404,
            "Not found",
            f"release '{version}' is not served here; this server serves release '{served}' "
            f"(/release/{served}/ or /release/latest/)",
            version=version,
            served=served,
        )
    files = await distributions(request)
    if name in files:  # the dumps and ontology files: the same bytes whatever the request's host
        return Response(files[name], media_type=_media_type(name))
    base = download_base(request)
    if base is None:
        raise Problem(400, "Bad request", "the Host header makes no URL to name the release's files by")
    contents = release_contents(request.app.state.settings.build_dir, base, files)
    if name not in contents:
        raise Problem(
            404,
            "Not found",
            f"release {served} has no file '{name}'; it has: {', '.join(contents)}",
            name=name,
        )
    return Response(contents[name], media_type=_media_type(name))


@router.get(
    "/release.json",
    summary="The served release's record",
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def release_json(request: Request) -> Response:
    """The build's release.json: version, version IRI and the digest of the inputs it was built from."""
    files = await distributions(request)
    return Response(files["release.json"], media_type="application/json")


def _media_type(name: str) -> str:
    return MEDIA_TYPES.get(name[name.rfind(".") :], PLAIN) if "." in name else PLAIN
