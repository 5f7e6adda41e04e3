"""/docs (Swagger UI) and /redoc (ReDoc) without a CDN: their scripts and styles ship in the
fastapi-offline package and this app serves them itself under /static/docs/.

FastAPI's page builders write some set-up inline (Swagger UI's start script, ReDoc's page margin).
The docs pages run script, unlike the project's own pages, so they get a CSP of their own that allows
script from this server only; that inline set-up is therefore moved into files here. ReDoc's search
runs in a worker made from a blob: URL, which that CSP refuses, so its search box is turned off. Its
bundle draws a footer logo from cdn.redoc.ly; the copy served here names an empty data: image
instead, which ReDoc drops on its load error, so neither page asks another host for anything.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib.resources import files
from itertools import count

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from .errors import Problem

ASSETS = "/static/docs/"
SHIPPED = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
MEDIA_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "png": "image/png"}
# Both UIs set styles inline (React style attributes, ReDoc's styled-components); a style runs no code.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)
# ReDoc's one run-time request to another host: the "API docs by Redocly" logo beside its footer link.
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
NO_IMAGE = b"data:,"  # not an image: ReDoc's onError hides the logo, and no request leaves the page


@cache
def _shipped() -> dict[str, bytes]:
    # Read once per process from a fixed list of names: no path from a URL reaches the file system.
    folder = files("fastapi_offline") / "static"
    return {name: folder.joinpath(name).read_bytes() for name in SHIPPED}


def _version(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:12]


class DocsPages:
    """The two pages, built once, and every file they load, each at a URL carrying its content hash."""

    def __init__(self, openapi_url: str, title: str):
        self.assets = dict(_shipped())
        self.assets["redoc.standalone.js"] = self.assets["redoc.standalone.js"].replace(REDOC_LOGO, NO_IMAGE)
        swagger = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} - Swagger UI",
            oauth2_redirect_url=None,
            swagger_js_url=self.url("swagger-ui-bundle.js"),
            swagger_css_url=self.url("swagger-ui.css"),
            swagger_favicon_url=self.url("favicon.png"),
            swagger_ui_parameters={"validatorUrl": None},
        )  # its default posts the spec to a public validator
        redoc = get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} - ReDoc",
            with_google_fonts=False,
            redoc_js_url=self.url("redoc.standalone.js"),
            redoc_favicon_url=self.url("favicon.png"),
        )
        self.swagger = self._without_inline_code(bytes(swagger.body).decode(), "swagger")
        self.redoc = self._without_inline_code(bytes(redoc.body).decode(), "redoc").replace(
            "<redoc spec-url=", "<redoc disable-search spec-url="
        )

    def url(self, name: str) -> str:
        return f"{ASSETS}{name}?v={_version(self.assets[name])}"

    def _without_inline_code(self, html: str, page: str) -> str:
        numbers = count(1)

        def to_file(match: re.Match) -> str:
            kind, code = match[1], match[2]
            name = f"{page}-setup-{next(numbers)}.{'js' if kind == 'script' else 'css'}"
            self.assets[name] = code.encode()
            if kind == "script":
                return f'<script src="{self.url(name)}"></script>'
            return f'<link rel="stylesheet" href="{self.url(name)}">'

        return INLINE.sub(to_file, html)

    def asset(self, name: str, v: str | None) -> Response:
        body = self.assets.get(name)
        if body is None:
            raise Problem(404, "Not found", f"no documentation file '{name}'")
        # The pages link each file with its content hash: that URL never changes meaning.
        cache_control = "public, max-age=31536000, immutable" if v == _version(body) else "no-cache"
        return Response(
            body, media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1]], headers={"Cache-Control": cache_control}
        )


def install(app: FastAPI) -> None:
    """Serve /docs, /redoc and their files; the app must be made with docs_url=None, redoc_url=None."""
    if app.openapi_url is None:
        raise ValueError("/docs and /redoc show the app's OpenAPI document: keep openapi_url")
    pages = DocsPages(app.openapi_url, app.title)
    headers = {"Content-Security-Policy": CSP}

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(pages.swagger, headers=headers)

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return HTMLResponse(pages.redoc, headers=headers)

    @app.get(ASSETS + "{name}", include_in_schema=False)
    async def docs_asset(name: str, v: str | None = None) -> Response:
        return pages.asset(name, v)
