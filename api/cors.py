"""ASGI middleware: CORS for the read routes only, so that a page on any origin can query the graph.

Reads (GET and HEAD on the query, entity, trace and search routes; POST on /sparql, which only reads)
are open to every origin, without credentials. Writes (PUT and DELETE on /graph/local/...) get no
CORS allowance at all: a browser refuses a page's cross-origin write at its preflight, before any
token could be sent. Hand-written rather than Starlette's CORSMiddleware, which allows by method
for every path alike.
"""

from __future__ import annotations

import json

from .security_headers import NOT_A_PAGE

READ_PREFIXES = (
    "/sparql",
    "/queries",
    "/id/",
    "/claim/",
    "/statement/",
    "/graph/",
    "/trace",
    "/search",
    "/openapi.json",
    "/.well-known/",
    "/context.jsonld",
)
READ_METHODS = ("GET", "HEAD")
QUERY_POSTS = ("/sparql", "/sparql/")  # POST reads here only
REQUEST_HEADERS = ("accept", "accept-language", "content-type", "if-none-match")
# What a script may read besides the safelisted headers: the release, query and paging headers.
EXPOSED = (
    b"X-OTKG-Release, X-OTKG-Inputs-Digest, X-OTKG-Build-Commit, X-OTKG-Query-SHA256, "
    b"X-OTKG-Truncated, X-OTKG-Row-Cap, X-OTKG-Triple-Cap, X-OTKG-Cache, Link, ETag, Retry-After"
)
ALLOW = [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", EXPOSED)]


def allowed_methods(path: str) -> tuple[str, ...]:
    """The methods a page on another origin may use on this path: reads only, never PUT or DELETE."""
    if not path.startswith(READ_PREFIXES):
        return ()
    return (*READ_METHODS, "POST") if path in QUERY_POSTS else READ_METHODS


class Cors:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        methods = allowed_methods(scope["path"])
        wanted = headers.get(b"access-control-request-method")
        if scope["method"] == "OPTIONS" and b"origin" in headers and wanted is not None:
            return await _preflight(
                send,
                methods,
                wanted.decode("latin-1"),
                headers.get(b"access-control-request-headers", b"").decode("latin-1"),
            )
        if scope["method"] not in methods:
            return await self.app(scope, receive, send)

        async def allowing(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *ALLOW]}
            await send(message)

        await self.app(scope, receive, allowing)


async def _preflight(send, methods: tuple[str, ...], method: str, request_headers: str) -> None:
    asked = [h.strip().lower() for h in request_headers.split(",") if h.strip()]
    refused = [h for h in asked if h not in REQUEST_HEADERS]
    if method not in methods or refused:
        what = f"the header {refused[0]}" if method in methods else (method or "this method")
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Cross-origin request refused",
                "status": 403,
                "detail": f"pages on other origins may not use {what} here; cross-origin "
                "reads are allowed, writes are not",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"cache-control", b"no-store"),
                    (b"content-length", str(len(body)).encode()),
                    *NOT_A_PAGE,  # answered before ReleaseHeaders, which adds them to the rest
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 204,
            "headers": [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", ", ".join(methods).encode()),
                (b"access-control-allow-headers", ", ".join(REQUEST_HEADERS).encode()),
                (b"access-control-max-age", b"600"),
                (b"cache-control", b"no-store"),
                *NOT_A_PAGE,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
