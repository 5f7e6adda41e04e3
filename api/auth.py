"""Token auth for writes: `Authorization: Bearer <token>`, checked against SHA-256 digests.

The server holds only digests (OTKG_WRITE_TOKEN_SHA256, comma-separated), so a leaked setting does
not leak a token; `otkg token` makes a new token and prints its digest. No digests: writes are off.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from .errors import Problem


def require_writer(request: Request) -> None:
    """Return if the request carries a valid write token; else 401 (none given) or 403."""
    digests = [
        d.strip().lower() for d in request.app.state.settings.write_token_sha256.split(",") if d.strip()
    ]
    if not digests:
        raise Problem(403, "Writes disabled", "this server accepts no uploads (no write tokens configured)")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            401,
            "Unauthorized",
            "writes need 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="otkg"'},
        )
    given = hashlib.sha256(token.strip().encode("utf-8", "surrogatepass")).hexdigest()
    if not any(hmac.compare_digest(given, d) for d in digests):
        raise Problem(403, "Forbidden", "the write token is not valid")
