"""ASGI middleware: a request URL longer than the cap is answered 414 before anything parses it."""

from __future__ import annotations

import json

from .security_headers import NOT_A_PAGE


class UrlLimit:
    def __init__(self, app, max_length: int):
        self.app, self.max_length = app, max_length

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            length = len(scope.get("raw_path") or scope["path"].encode()) + len(
                scope.get("query_string", b"")
            )
            if length > self.max_length:
                body = json.dumps(
                    {
                        "type": "about:blank",
                        "title": "URI too long",
                        "status": 414,
                        "detail": f"the request URL is {length} bytes; at most {self.max_length} are "
                        "accepted (send long SPARQL queries by POST)",
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 414,
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
        await self.app(scope, receive, send)
