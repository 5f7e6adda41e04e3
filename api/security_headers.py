"""The headers by which a browser treats every answer as what it says it is, and nothing more.

API answers carry literals anyone could have written (uploads, query text echoed in errors): a
browser must never sniff one into HTML (nosniff), and should it show one as a document, run, load,
submit or frame nothing from it (the restrictive CSP). The pages bring their own CSP, which allows
their stylesheet; it is kept, and every answer without one gets this.

Referrer-Policy is strict-origin-when-cross-origin: a page's URL can hold a query or a search
(`/sparql?query=...`, `/search?q=...`), which then never leaves the site (other sites get the origin
only, and nothing over plain HTTP), while links within the site keep their full Referer for the
site's own logs. no-referrer would drop those too, and protect nothing more. It is what current
browsers do unasked; saying it holds older ones and changed defaults to it.

release_headers.ReleaseHeaders adds them to what the app answers; the answers made outside it (CORS
preflights, 414, the last-resort 500) carry them from here.
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request

EVERY = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
# default-src covers scripts, styles, images, fonts, frames and fetches; base-uri and form-action
# fall back to nothing, so they are named as well.
NOT_A_PAGE_CSP = (
    b"content-security-policy",
    b"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
)
NOT_A_PAGE = (*EVERY, NOT_A_PAGE_CSP)  # for an answer known not to be HTML
# The SPARQL editor's page alone runs script: YASGUI and its set-up, both files from this server
# (never inline, never eval), which query this server only (connect-src). YASGUI sets element styles
# through the DOM, which CSP allows; its table's column resizer adds two fixed <style> elements (its
# layout rules, and the cursor while a column is dragged), allowed by their hashes alone (YASGUI
# 4.6.2: a test counts the page's CSP violations, 0). Every other page keeps render.CSP, no script.
EDITOR_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' "
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def install(app: FastAPI) -> None:
    """Starlette answers an unhandled exception from outside every middleware of the app's
    (ServerErrorMiddleware), so the handler it calls adds the headers itself. Call after every
    other wrapper of the handlers (pages.install): a browser's HTML error page keeps its own CSP."""
    for key in (500, Exception):
        original = app.exception_handlers.get(key)
        if original is not None:
            app.add_exception_handler(key, _adding_headers(original))


def _adding_headers(handler):
    async def secured(request: Request, exc: Exception):
        response = handler(request, exc)
        if inspect.isawaitable(response):
            response = await response
        for name, value in NOT_A_PAGE:
            response.headers.setdefault(name.decode(), value.decode())
        return response

    return secured
