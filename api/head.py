"""ASGI middleware: HEAD is answered wherever GET is, with GET's status and headers and no body.

FastAPI's GET routes answer HEAD with 405. Running the GET and dropping its body keeps the two
identical by construction (ETag, Cache-Control and Content-Length included), and the hot routes
and the response cache, which look for GET, serve HEAD as well.
"""

from __future__ import annotations


class HeadAsGet:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def without_body(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        # a copy: the server keeps its own scope, still HEAD, and sends no body either
        await self.app({**scope, "method": "GET"}, receive, without_body)
