"""Writes: a Trust's local care package as its own named graph, PUT or DELETE at the graph's IRI.

Every write needs a token; the body is parsed without fetching anything, validated by SHACL, and
committed all-or-nothing as a new store generation (kg.store.seam.commit_graph) before it is answered;
a full disk is answered 507, any other file system fault 500 naming it (api.commits).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...kg.build import upload
from ...kg.store.seam import GraphStore
from ...kg.terms import load_ontology
from ..auth import require_writer
from ..commits import commit
from ..errors import Problem
from . import sheets

router = APIRouter(tags=["writes"])


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes the limit."""
    size = request.headers.get("content-length")
    if size is not None and (not size.isdigit() or int(size) > limit):
        raise Problem(413, "Upload too large", f"uploads are limited to {limit} bytes")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise Problem(413, "Upload too large", f"uploads are limited to {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _writable_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.services.store
    if not store.can_commit:
        raise Problem(403, "Writes disabled", "uploads need the embedded disk store (OTKG_STORE=disk)")
    return store


def _ontology(request: Request):
    if getattr(request.app.state, "ontology", None) is None:
        request.app.state.ontology = load_ontology()
    return request.app.state.ontology


def _check(exc: upload.UploadError):
    if exc.violations:
        return Problem(exc.status, exc.title, exc.detail, violations=exc.violations)
    return Problem(exc.status, exc.title, exc.detail)


@router.put(
    "/graph/local/{slug}", summary="Upload a Trust's local care package as a named graph", status_code=201
)
async def put_local_graph(slug: str, request: Request) -> Response:
    """Replace the named graph <https://w3id.org/otkg/graph/local/{slug}> with the body (Turtle,
    N-Triples, JSON-LD with inline contexts, or RDF/XML without DOCTYPE), or with the package of a
    Trust's spreadsheet (XLSX or CSV, with query parameters `trust` and `cluster` that must match
    its cells B1 and B2). Needs a write token."""
    require_writer(request)
    store = _writable_store(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        iri = upload.graph_iri(slug)
        if (
            media in sheets.SHEET_TYPES
        ):  # a Trust's sheet becomes the same kind of graph (kg.build.sheet_import)
            body = await _body(request, request.app.state.settings.max_upload_bytes)
            return await sheets.put_sheet(request, store, slug, media, body, _ontology(request))
        # the type is checked before the body is read
        fmt = upload.upload_format(media)
        body = await _body(request, request.app.state.settings.max_upload_bytes)
        triples = await run_in_threadpool(upload.parse, body, fmt, iri)
        await run_in_threadpool(upload.validate, triples, _ontology(request))
    except upload.UploadError as exc:
        raise _check(exc) from None
    except RecursionError:  # the parsers' depth checks come first; should any check recurse, a 4xx
        raise Problem(422, "Nested too deep", "the upload nests too deep to be checked") from None
    generation, existed = await commit(store, iri, triples)
    return Response(
        status_code=204 if existed else 201,
        headers={"Location": iri, "X-OTKG-Store-Generation": generation, "X-OTKG-Triples": str(len(triples))},
    )


@router.delete("/graph/local/{slug}", summary="Remove an uploaded local package graph", status_code=204)
async def delete_local_graph(slug: str, request: Request) -> Response:
    require_writer(request)
    store = _writable_store(request)
    try:
        iri = upload.graph_iri(slug)
    except upload.UploadError as exc:
        raise _check(exc) from None
    try:
        generation, _ = await commit(store, iri, None)
    except LookupError:
        raise Problem(404, "Not found", f"no uploaded graph <{iri}>") from None
    return Response(status_code=204, headers={"X-OTKG-Store-Generation": generation})
