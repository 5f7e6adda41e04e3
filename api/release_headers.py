"""ASGI middleware: every response names the release; GET answers carry an ETag and honour
If-None-Match, and say how long they may be cached. Plain ASGI rather than BaseHTTPMiddleware,
which costs milliseconds per request."""

from __future__ import annotations

import hashlib

# A successful GET is a function of the release and the store generation, both in its ETag; five
# minutes bounds how long a shared cache may serve it after an upload without asking again.
FRESH = b"public, max-age=300"
# POST /sparql only reads, but its answer has no URL of its own to be cached under
UNSAFE = {"PUT", "DELETE", "PATCH", "POST"}


class ReleaseHeaders:
    def __init__(self, app):
        self.app = app
        self._named = (None, [], b"")  # the release last seen, its headers and ETag prefix

    def _for_release(self, rel) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """The release's three headers and what every ETag of it starts from, made once per release."""
        if self._named[0] is not rel:
            headers = [
                (b"x-otkg-release", rel.version_iri.encode()),
                (b"x-otkg-inputs-digest", rel.digest.encode()),
                (b"x-otkg-build-commit", rel.commit.encode()),
            ]
            # the commit too: a deploy may change rendering while the data stays the same
            self._named = (rel, headers, rel.digest.encode() + b" " + rel.commit.encode())
        return self._named[1], self._named[2]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        services = getattr(scope["app"].state, "services", None) if "app" in scope else None
        if services is None:
            return await self.app(scope, receive, send)
        extra, etag_prefix = self._for_release(services.release)
        method = scope["method"]
        not_modified = False

        async def send_with_headers(message):
            nonlocal not_modified
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *extra]
                status = message["status"]
                vary = cache_control = False
                ctype = b""
                for k, v in headers:  # one pass over what the app set
                    k = k.lower()
                    if k == b"vary":
                        vary = True
                    elif k == b"cache-control":
                        cache_control = True
                    elif k == b"content-type":
                        ctype = v
                if not vary:  # answers depend on Accept
                    headers.append((b"vary", b"Accept"))
                if not cache_control:
                    headers.append((b"cache-control", _cache_control(method, status)))
                if method == "GET" and status == 200:
                    url = scope["path"].encode() + b"?" + scope.get("query_string", b"")
                    # and the store generation: an upload changes answers within one release
                    generation = services.store.generation.encode()
                    key = b" ".join([etag_prefix, generation, url, ctype])
                    etag = b'"' + hashlib.sha256(key).hexdigest()[:32].encode() + b'"'
                    headers.append((b"etag", etag))
                    if etag in _if_none_match(scope):
                        not_modified = True
                        kept = [
                            (k, v)
                            for k, v in headers
                            if k.lower() not in (b"content-length", b"content-type")
                        ]
                        return await send({"type": "http.response.start", "status": 304, "headers": kept})
                message = {**message, "headers": headers}
            elif not_modified and message["type"] == "http.response.body":
                if not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b""})
                return None
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _if_none_match(scope) -> list[bytes]:
    """The entity tags a conditional GET names, over every If-None-Match header it sent."""
    return [
        tag.strip()
        for name, value in scope["headers"]
        if name == b"if-none-match"
        for tag in value.split(b",")
    ]


def _cache_control(method: str, status: int) -> bytes:
    """Errors and writes are never stored; successful reads are fresh for a while."""
    if status >= 400 or method in UNSAFE:
        return b"no-store"
    return FRESH if method == "GET" and status == 200 else b"no-cache"
