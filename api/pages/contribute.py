"""The /contribute page for a Trust's OT lead: get the template, fill it in, upload it, see it laid
out and checked, then publish it. Plain HTML forms (multipart POST): no script, no cookies; every
answer says Cache-Control: no-store. Writes take the one write path (api.writes).

The checked file waits server-side for its publish (kg.contrib.pending), bound to the upload key
that sent it. The publish form carries the preview's id and asks for the key again in a password
field: the key is never written into a page (OWASP ASVS: forms are not pre-filled with
credentials), the id alone publishes nothing, and a key withdrawn meanwhile is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request as StarletteRequest

from ...kg.contrib.pending import PendingFull, PendingUploads
from ...kg.contrib.write_path import Upload
from ...kg.pipeline.sheet_import import slug_for
from ...kg.pipeline.sheet_read import CSV_TYPE, XLSX_TYPE
from .. import service, writes
from ..errors import Problem
from ..execution import Reads
from . import contribute_preview
from .render import page

NO_STORE = {"Cache-Control": "no-store"}
FIELDS_BYTES = 64 * 1024  # room for the form's other fields and the multipart framing
MEDIA = {".xlsx": XLSX_TYPE, ".csv": CSV_TYPE}
LOCAL = "https://w3id.org/otkg/id/local/"


@dataclass
class Sent:
    """What the upload form said (the key aside, everything is shown back in the form)."""

    trust: str = ""
    cluster: str = ""
    slug: str = ""
    key: str = field(default="", repr=False)
    file_name: str = ""
    body: bytes = b""
    media: str = ""

    def shown(self) -> dict[str, str]:
        return {"trust": self.trust, "cluster": self.cluster, "slug": self.slug}


def _reads(request: Request) -> Reads:
    return Reads(request, request.app.state.settings.read_deadline)


async def _clusters(request: Request) -> list[dict[str, str]]:
    return (await service.catalogue_rows(_reads(request), "care-clusters"))[0]


def _pending(request: Request) -> PendingUploads:
    return PendingUploads(request.app.state.settings.store_dir / "pending")


def _show(request: Request, status: int = 200, **context) -> HTMLResponse:
    """The page in one of its states: the form, a refusal, a preview or the published package."""
    context = {
        "sent": {},
        "problem": None,
        "preview": None,
        "published": None,
        "max_mb": request.app.state.settings.max_upload_bytes / 1_000_000,
        **context,
    }
    response = page(request, "contribute.html", status, **context)
    response.headers.update(NO_STORE)
    return response


async def form(request: Request) -> HTMLResponse:
    """The three steps and the upload form."""
    store = request.app.state.services.store
    return _show(request, clusters=await _clusters(request), open_=store.can_commit)


async def preview(request: Request) -> HTMLResponse:
    """Check an uploaded sheet and show it as its A3 sheet beside the national package, with every
    problem found; a clean one waits for its publish."""
    clusters, sent = await _clusters(request), Sent()
    try:
        sent = await _read_upload(request)
        writes.credential(request, sent.slug, token=sent.key)
        up = Upload(sent.slug, sent.body, sent.media, sent.trust, sent.cluster, sent.file_name)
        checked = await writes.check(request, up)
        pending = _pending(request)
        pid = await run_in_threadpool(
            lambda: pending.put(
                sent.body,
                sent.key,
                slug=sent.slug,
                trust=sent.trust,
                cluster=sent.cluster,
                file_name=sent.file_name,
                media=sent.media,
            )
        )
    except PendingFull:
        return _refused(request, Problem(503, "Busy", "too many previews are waiting"), clusters, sent)
    except Problem as exc:
        return _refused(request, exc, clusters, sent)
    shown = await contribute_preview.sections(_reads(request), checked)
    return _show(
        request,
        clusters=clusters,
        open_=True,
        sent=sent.shown(),
        preview={**shown, "id": pid, "file_name": sent.file_name, "triples": len(checked.triples)},
    )


async def publish(request: Request) -> HTMLResponse:
    """Publish a previewed upload: its key again, its file checked again, then committed."""
    clusters = await _clusters(request)
    try:
        fields = await _fields(request, FIELDS_BYTES, files=0)
        pid, key = _text(fields, "preview", 64), _text(fields, "key", 500)
        waiting = await run_in_threadpool(_pending(request).get, pid, key) if pid and key else None
        if waiting is None:
            raise Problem(410, "Preview not found", "gone")
        cred = writes.credential(request, waiting.slug, token=key)
        up = Upload(
            waiting.slug, waiting.body, waiting.media, waiting.trust, waiting.cluster, waiting.file_name
        )
        done = await writes.publish(request, await writes.check(request, up), cred)
    except Problem as exc:
        return _refused(request, exc, clusters, Sent())
    await run_in_threadpool(_pending(request).discard, pid)
    published = {
        "slug": waiting.slug,
        "trust": waiting.trust,
        "package": f"{LOCAL}{waiting.slug}/package",
        "cluster": waiting.cluster,
        "replaced": done.existed,
        "triples": done.triples,
    }
    return _show(request, 201, clusters=clusters, open_=True, published=published)


def _refused(request: Request, exc: Problem, clusters: list, sent: Sent) -> HTMLResponse:
    """A refusal in the page, with the status kept, and the form again to try once more."""
    problem = {
        "status": exc.status,
        "title": exc.title,
        "detail": exc.detail,
        "scope": exc.extra.get("scope") if exc.status == 403 else None,
        "errors": sorted(exc.extra.get("errors") or [], key=_place),
        "offences": exc.extra.get("offences") or [],
        "violations": exc.extra.get("violations") or [],
        "slug": sent.slug,
    }
    response = _show(request, exc.status, clusters=clusters, open_=True, sent=sent.shown(), problem=problem)
    response.headers.update({k: v for k, v in exc.headers.items() if k.lower() == "retry-after"})
    return response


def _place(error: dict) -> tuple:
    """Cells in reading order: by sheet, row, then column (A before B before AA)."""
    column = error.get("column") or ""
    return (error.get("sheet") or "", error.get("row") or 0, len(column), column)


async def _read_upload(request: Request) -> Sent:
    """The upload form's fields and file, the body read within the upload limit."""
    limit = request.app.state.settings.max_upload_bytes
    fields = await _fields(request, limit + FIELDS_BYTES, files=1)
    trust = " ".join(_text(fields, "trust", 200).split())
    sent = Sent(trust=trust, cluster=_text(fields, "cluster", 8), key=_text(fields, "key", 500))
    sent.slug = _text(fields, "slug", 64).lower() or (slug_for(trust) if trust else "")
    missing = [name for name in ("trust", "cluster", "key") if not getattr(sent, name)]
    upload = fields.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing.insert(0, "file")
    if missing or not isinstance(upload, UploadFile):
        raise Problem(422, "Missing", ", ".join(missing), missing=missing)
    sent.file_name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    sent.media = MEDIA.get("." + sent.file_name.rsplit(".", 1)[-1].lower(), "")
    if not sent.media:
        raise Problem(415, "Not a package sheet", sent.file_name)
    sent.body = await upload.read(limit + 1)
    if len(sent.body) > limit:
        raise Problem(413, "Upload too large", f"uploads are limited to {limit} bytes")
    return sent


def _text(fields: FormData, name: str, longest: int) -> str:
    value = fields.get(name)
    return value.strip()[:longest] if isinstance(value, str) else ""


async def _fields(request: Request, limit: int, files: int) -> FormData:
    """The multipart form, its whole body read first and refused with 413 past `limit` bytes."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise Problem(415, "Not a form", "send the page's own form (multipart/form-data)")
    body = await writes.body(request, limit)
    sent = False

    async def replay():  # the body once, as the server delivered it
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await StarletteRequest(request.scope, replay).form(
            max_files=files, max_fields=8, max_part_size=FIELDS_BYTES
        )
    except HTTPException as exc:  # a malformed body, or more parts than the form has
        raise Problem(400, "Unreadable form", str(exc.detail)) from None
