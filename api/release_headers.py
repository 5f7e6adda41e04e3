"""ASGI middleware: every response names the release and carries the security headers; GET
answers carry an ETag and honour If-None-Match, and say how long they may be cached. Plain ASGI
rather than BaseHTTPMiddleware, which costs milliseconds per request."""

from __future__ import annotations

import hashlib

from .security_headers import EVERY, NOT_A_PAGE_CSP

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
        if services is None:  # not started: no release to name, but still a browser's answer
            return await self.app(scope, receive, _secured(send))
        extra, etag_prefix = self._for_release(services.release)
        method = scope["method"]
        not_modified = False

        async def send_with_headers(message):
            nonlocal not_modified
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *extra]
                status = message["status"]
                vary = cache_control = csp = secured = False
                ctype = b""
                for k, v in headers:  # one pass over what the app set
                    k = k.lower()
                    if k == b"vary":
                        vary = True
                    elif k == b"cache-control":
                        cache_control = True
                    elif k == b"content-type":
                        ctype = v
                    elif k == b"content-security-policy":  # a page's own, which allows its stylesheet
                        csp = True
                    elif k == b"x-content-type-options":  # the 500 handler set them already
                        secured = True
                if not secured:
                    headers.extend(EVERY)
                if not csp:
                    headers.append(NOT_A_PAGE_CSP)
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
                    if _none_match(etag, scope):
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


def _none_match(etag: bytes, scope) -> bool:
    """True when If-None-Match (any of its headers) names this ETag or is `*`. Compared weakly, as
    RFC 9110 (13.1.2) says for If-None-Match: W/"x" names the same answer as "x"."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            for tag in value.split(b","):
                tag = tag.strip()
                if tag == b"*" or tag.removeprefix(b"W/") == etag:
                    return True
    return False


def _secured(send):
    """`send` adding the security headers to an answer that lacks them."""

    async def securing(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            names = {k.lower() for k, _ in headers}
            if b"x-content-type-options" not in names:
                headers.extend(EVERY)
            if b"content-security-policy" not in names:
                headers.append(NOT_A_PAGE_CSP)
            message = {**message, "headers": headers}
        await send(message)

    return securing


def _cache_control(method: str, status: int) -> bytes:
    """Errors and writes are never stored; successful reads are fresh for a while."""
    if status >= 400 or method in UNSAFE:
        return b"no-store"
    return FRESH if method == "GET" and status == 200 else b"no-cache"
