"""Writes: a Trust's local care package as its own named graph, PUT or DELETE at the graph's IRI,
and its history: every earlier version listed and restorable.

Every route takes the one write path (api.writes over kg.contrib.write_path): a credential scoped to
the graph, the body parsed without fetching anything, the content rules, validation, and a commit
with its audit record, all-or-nothing, before it is answered.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ...kg.contrib import history
from ...kg.contrib.write_path import Refused, Upload, graph_of
from .. import writes
from ..errors import Problem
from .sheets import FILE_NAME

router = APIRouter(tags=["writes"])


def _written(status: int, done, **headers: str) -> Response:
    return Response(
        status_code=status,
        headers={"X-OTKG-Store-Generation": done.generation, "X-OTKG-Triples": str(done.triples), **headers},
    )


@router.put(
    "/graph/local/{slug}", summary="Upload a Trust's local care package as a named graph", status_code=201
)
async def put_local_graph(slug: str, request: Request) -> Response:
    """Replace the named graph <https://w3id.org/otkg/graph/local/{slug}> with the body (Turtle,
    N-Triples, JSON-LD with inline contexts, or RDF/XML without DOCTYPE), or with the package of a
    Trust's spreadsheet (XLSX or CSV, with query parameters `trust` and `cluster` that must match
    its cells B1 and B2). Needs a credential whose scope covers the slug; the version replaced
    stays in the graph's history."""
    cred = writes.credential(request, slug)
    media = writes.media_type(request)  # checked before the body is read
    named = FILE_NAME.search(request.headers.get("content-disposition", ""))
    up = Upload(
        slug,
        await writes.body(request),
        media,
        request.query_params.get("trust", ""),
        request.query_params.get("cluster", ""),
        named.group(1) if named else "",
    )
    checked = await writes.check(request, up)
    done = await writes.publish(request, checked, cred)
    return _written(204 if done.existed else 201, done, Location=done.graph)


@router.delete("/graph/local/{slug}", summary="Remove an uploaded local package graph", status_code=204)
async def delete_local_graph(slug: str, request: Request) -> Response:
    """Remove the graph; its versions stay in its history, from which an admin may restore it."""
    cred = writes.credential(request, slug)
    w = await writes.writer(request)
    try:
        done = await writes.committed(request, lambda: w.remove(slug, cred))
    except LookupError:
        raise Problem(404, "Not found", f"no uploaded graph for local graph '{slug}'") from None
    return _written(204, done)


@router.get("/graph/local/{slug}/history", summary="Every write of a local package graph")
async def local_graph_history(slug: str, request: Request) -> JSONResponse:
    """Each write, oldest first: its number, result (created, replaced, deleted, restored), when,
    by which credential label, the SHA-256 of what was sent and its triple count (the audit graph)."""
    try:
        graph = graph_of(slug)
    except Refused as exc:
        raise writes.refused(exc) from None
    found = await run_in_threadpool(history.versions, request.app.state.services.store, slug)
    if not found:
        raise Problem(404, "Not found", f"local graph '{slug}' has never been written")
    return JSONResponse({"graph": graph, "writes": [v.as_dict() for v in found]})


@router.post(
    "/graph/local/{slug}/history/{number}/restore",
    summary="Restore an earlier version of a local package graph",
    status_code=201,
)
async def restore_local_graph(slug: str, number: int, request: Request) -> Response:
    """Make the version stored by write `number` the graph's content again (a new write). A removed
    graph may be restored by an admin credential only."""
    cred = writes.credential(request, slug)
    w = await writes.writer(request)
    if not cred.admin and not await run_in_threadpool(w.exists, slug):
        raise Problem(403, "Forbidden", "restoring a removed graph needs an admin credential")
    try:
        done = await writes.committed(request, lambda: w.restore(slug, number, cred))
    except LookupError as exc:
        raise Problem(404, "Not found", str(exc.args[0])) from None
    return _written(204 if done.existed else 201, done, Location=done.graph)
