"""Routes that exist only as pages: the cluster matrices, and the pages' own static files."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from .. import pages
from ..errors import Problem
from ..pages.render import STATIC_DIR, VERSIONS

router = APIRouter(tags=["pages"])
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
# Read once: a fixed set of small files, so no path from the URL ever reaches the file system.
STATIC = {
    p.name: (p.read_bytes(), MEDIA_TYPES[p.suffix]) for p in STATIC_DIR.iterdir() if p.suffix in MEDIA_TYPES
}


@router.get("/matrix", summary="Care cluster matrices (HTML page)", response_class=HTMLResponse)
async def matrix(
    request: Request,
    kind: str | None = Query(None, max_length=20),
    cluster: str | None = Query(None, max_length=2048),
    column: str | None = Query(None, max_length=2048),
) -> HTMLResponse:
    """Care clusters x interventions and x outcomes as heatmaps; each non-empty cell links to its evidence."""
    return await pages.matrix(request, kind, cluster, column)


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str, v: str | None = None) -> Response:
    if name not in STATIC:
        raise Problem(404, "Not found", f"no static file '{name}'")
    body, media_type = STATIC[name]
    # Pages link /static/<name>?v=<content hash>: that URL never changes meaning, so it is cached for good.
    cache = "public, max-age=31536000, immutable" if v == VERSIONS.get(name) else "no-cache"
    return Response(body, media_type=media_type, headers={"Cache-Control": cache})
