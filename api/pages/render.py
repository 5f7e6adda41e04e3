"""Pages for people: when a browser asks for HTML, and how a page is rendered (Jinja2, autoescaped)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..negotiation import accept_of, parse_accept
from . import terms

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Everything a page needs comes from this server: no CDN, no inline script or style.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
NAV = [
    ("/", "Home"),
    ("/matrix", "Matrix"),
    ("/queries", "Queries"),
    ("/sparql", "SPARQL"),
    ("/openapi.json", "API"),
]


def wants_html(request: Request) -> bool:
    """True when the client ranks HTML above every other specific type and names no `format`.

    curl and API clients send */* or a specific type, so they keep today's answers; browsers list
    text/html first.
    """
    if "format" in request.query_params:
        return False
    for media, q in parse_accept(accept_of(request)):
        if q <= 0:
            continue
        if media in HTML_TYPES:
            return True
        if not media.endswith("/*"):
            return False
    return False


def or_page(page_handler):
    """Decorate a route so that a browser's GET gets `page_handler`, called with the route's own
    (validated) arguments, and every other request the route's data: the one place where HTML or
    data is chosen."""

    def wrap(handler):
        @functools.wraps(handler)  # FastAPI reads the route's parameters from the handler's signature
        async def route(**kwargs):
            request = kwargs["request"]
            chosen = page_handler if request.method == "GET" and wants_html(request) else handler
            return await chosen(**kwargs)

        return route

    return wrap


def _static_versions() -> dict[str, str]:
    # The content hash in the URL changes when the file does, so browsers never keep a stale copy.
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in STATIC_DIR.iterdir() if p.is_file()
    }


VERSIONS = _static_versions()
ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.globals.update(static=lambda name: f"/static/{name}?v={VERSIONS[name]}", NAV=NAV)
ENV.filters.update(
    href=terms.href,
    compact=terms.compact,
    short=terms.short,
    label=terms.label_of,
    excerpt=terms.excerpt,
    words=terms.words,
    heading=terms.heading,
    plain=terms.plain,
    shows_datatype=terms.shows_datatype,
    sheet_cell=terms.sheet_cell,
)


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """Render one template into an HTML response that says it varies with Accept."""
    services = getattr(request.app.state, "services", None)
    html = ENV.get_template(template).render(
        request=request,
        path=request.url.path,
        release=services.release if services else None,
        labels=services.search.labels if services else {},
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept", "Content-Security-Policy": CSP})
