"""The API's side of the one write path (kg.contrib.write_path): the credential from the request,
the body read within its limit, the checks and the commit run in threads so the event loop keeps
serving readers, and every refusal answered as problem+json. Routes (graphs, /contribute) call these.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..kg.contrib.credentials import Credential, CredentialError
from ..kg.contrib.write_path import (
    SHEET_TYPES,
    Checked,
    Keys,
    Published,
    Refused,
    Upload,
    Writer,
    checked_apart,
    start_checker,
    unpacked,
)
from ..kg.pipeline import upload
from ..kg.query.query_pool import WORKER_NICENESS
from ..kg.store.faults import CommitFailed, CommitUnconfirmed
from ..kg.terms import load_ontology
from .commits import failed
from .errors import Problem

log = logging.getLogger("otkg.api")
T = TypeVar("T")
BEARER = {"WWW-Authenticate": 'Bearer realm="otkg"'}
CHECK_APART = True  # RDF uploads checked in a process of their own (tests patching the checks turn it off)


async def writer(request: Request) -> Writer:
    """This process's Writer, made at the first write, in a thread: the ontology takes about a
    second to load, which would hold every reader of the process."""
    state = request.app.state
    if getattr(state, "writer", None) is None:
        store = state.services.store
        if not store.can_commit:
            raise Problem(403, "Writes disabled", "uploads need the embedded disk store (OTKG_STORE=disk)")
        if getattr(state, "ontology", None) is None:
            state.ontology = await run_in_threadpool(load_ontology)
        state.writer = Writer(store, state.settings.store_dir, state.ontology)
    return state.writer


def bearer(request: Request) -> str:
    """The bearer token of the request; 401 when there is none."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "Unauthorized", "writes need 'Authorization: Bearer <token>'", headers=BEARER)
    return token.strip()


def credential(request: Request, slug: str, token: str | None = None) -> Credential:
    """The request's credential (or `token`'s), if it may write local graph `slug`: 401 for none or
    an unknown, expired or revoked one, 403 naming the scope for another Trust's graph. Checked
    before the body is read, and without the Writer (whose ontology a refused request never needs)."""
    settings = request.app.state.settings
    if not request.app.state.services.store.can_commit:
        raise Problem(403, "Writes disabled", "uploads need the embedded disk store (OTKG_STORE=disk)")
    keys = Keys(settings.store_dir, settings.write_token_sha256)
    if not keys.any():
        raise Problem(403, "Writes disabled", "this server accepts no uploads (no write credentials issued)")
    try:
        return keys.check(bearer(request) if token is None else token, slug)
    except CredentialError as exc:
        if exc.status == 401:
            raise Problem(401, "Unauthorized", exc.detail, headers=BEARER) from None
        raise Problem(403, "Forbidden", exc.detail, scope=exc.scope) from None
    except Refused as exc:
        raise refused(exc) from None


async def body(request: Request, limit: int | None = None) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` (default: the upload limit)."""
    limit = request.app.state.settings.max_upload_bytes if limit is None else limit
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


def media_type(request: Request) -> str:
    """The upload's media type, if it is one a write takes (an RDF format or a package sheet); 415 otherwise."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in SHEET_TYPES:
        try:
            upload.upload_format(media)
        except upload.UploadError as exc:
            raise Problem(exc.status, exc.title, exc.detail) from None
    return media


def refused(exc: Refused) -> Problem:
    return Problem(exc.status, exc.title, exc.detail, **exc.extra)


async def check(request: Request, up: Upload) -> Checked:
    """Parse, apply the content rules and validate: an RDF upload in a checking process (its
    parsing holds the GIL for long stretches, which in a thread held every reader of this
    process), a spreadsheet, which reads the store, in a thread."""
    try:
        if up.media in SHEET_TYPES or not CHECK_APART:
            return await run_in_threadpool((await writer(request)).check, up)
        return await checking(request.app.state).run(up)
    except Refused as exc:
        raise refused(exc) from None
    except BrokenProcessPool:
        raise Problem(
            503,
            "Check failed",
            "the process checking the upload stopped; retry shortly",
            headers={"Retry-After": "5"},
        ) from None


class Checking:
    """This API process's checking process (kg.contrib.write_path.checked_apart): started at the
    first RDF upload, at the query workers' lower CPU priority, and stopped once no upload has
    come for IDLE_S seconds, so that a server nobody writes to holds no ontology for it."""

    IDLE_S = 120.0

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._running = 0
        self._idle: asyncio.TimerHandle | None = None

    async def run(self, up: Upload) -> Checked:
        loop = asyncio.get_running_loop()
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_checker,
                initargs=(WORKER_NICENESS,),
            )
        if self._idle is not None:
            self._idle.cancel()
        self._running += 1
        pool = self._pool
        try:
            packed = await loop.run_in_executor(pool, checked_apart, up)
        except BrokenProcessPool:
            if self._pool is pool:  # the next upload starts a new one
                self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            self._running -= 1
            if not self._running:
                self._idle = loop.call_later(self.IDLE_S, self.stop)
        return await asyncio.to_thread(unpacked, packed)

    def stop(self) -> None:
        """Stop the checking process (without waiting for it) if no check is running."""
        if self._pool is not None and not self._running:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def checking(state) -> Checking:
    if getattr(state, "checking", None) is None:
        state.checking = Checking()
    return state.checking


async def committed(request: Request, call: Callable[[], T]) -> T:
    """A commit in a thread, then this process's search index renewed; file system faults as
    problems (507 for a full disk, else 500 naming the cause)."""
    try:
        done = await run_in_threadpool(call)
    except CommitFailed as exc:
        log.error("commit failed, nothing written: %s", exc.original)
        raise failed(exc) from None
    except CommitUnconfirmed as exc:
        log.error("commit switched but not synced: %s", exc.original)
        raise Problem(
            500,
            "Write not confirmed",
            f"the graph was written and is served, but the store could not confirm it is on disk: "
            f"{exc.cause}; a crash now may bring back the graph as it was",
            cause=errno.errorcode.get(exc.errno or 0, "unknown"),
        ) from None
    await after_commit(request)
    return done


async def after_commit(request: Request) -> None:
    """What a commit changes beyond the store: this process's search index (the others renew
    theirs when they next see the new generation)."""
    services = request.app.state.services
    reindex = getattr(services, "reindex", None)
    if reindex is not None:
        await reindex()


async def publish(request: Request, checked: Checked, cred: Credential) -> Published:
    w = await writer(request)
    return await committed(request, lambda: w.publish(checked, cred))
