"""ASGI middleware: answers to repeated GET queries come from memory while the graph is unchanged.

A release never changes, and an upload switches the store to a new generation, so a query result
is valid until the generation changes: the cache key includes it, and a switch empties the cache.
Only successful answers to GET /sparql and /queries/... are kept, small ones, within a byte bound
(least recently used go first); `X-OTKG-Cache: hit|miss` says which a response was.

An answer is stored under everything it was made from, each read by the very function its handler
reads it with: the path and the whole query string (every parameter, repeated ones included), Accept
as negotiation reads it (negotiation.request_header: all its lines), and the server's own URL
(service.url_base: the first Host, the scheme). Nothing else of a request changes these answers.
"""

from __future__ import annotations

from collections import OrderedDict

from .negotiation import request_header
from .service import url_base

CACHED_PATHS = ("/sparql", "/queries/")
MAX_ENTRY = 256 * 1024
DROPPED = {b"date", b"server", b"content-length"}


class ResponseCache:
    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes
        self.entries: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self.size, self.generation = 0, None

    def _current_generation(self, scope):
        services = getattr(scope["app"].state, "services", None) if "app" in scope else None
        store = getattr(services, "store", None)
        # the disk store's generation notices an upload made by any process
        return (id(store), store.generation if store is not None else "")

    async def __call__(self, scope, receive, send):
        if (
            self.max_bytes <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(CACHED_PATHS)
        ):
            return await self.app(scope, receive, send)
        generation = self._current_generation(scope)
        if generation != self.generation:
            self.entries.clear()
            self.size, self.generation = 0, generation
        key = (
            scope["path"],
            scope.get("query_string", b""),
            request_header(scope["headers"], b"accept"),
            url_base(scope),
        )
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            status, kept, body = hit
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        *kept,
                        (b"content-length", str(len(body)).encode()),
                        (b"x-otkg-cache", b"hit"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        start, chunks = {}, []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                message = {**message, "headers": [*message.get("headers", []), (b"x-otkg-cache", b"miss")]}
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self._keep(key, start, b"".join(chunks), generation)
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key, start, body: bytes, generation) -> None:
        if len(body) > MAX_ENTRY or generation != self.generation:
            return
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in DROPPED]
        replaced = self.entries.pop(key, None)  # two misses for one key ran at once
        if replaced is not None:
            self.size -= len(replaced[2])
        self.entries[key] = (start["status"], kept, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, _, old) = self.entries.popitem(last=False)
            self.size -= len(old)
