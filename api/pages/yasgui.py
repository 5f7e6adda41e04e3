"""YASGUI, the SPARQL editor Oxigraph, Fuseki and rdflib-endpoint ship, served by this server itself.

`make setup` and `make test` fetch it from the npm registry at a pinned version and checksum (the
Makefile's YASGUI_*) into static/vendor/yasgui/, beside its licence; it is never loaded from a CDN.
Without those files (no npm at set-up) /sparql is the plain form, which needs no script.
"""

from __future__ import annotations

import hashlib

from fastapi.responses import Response

from ..errors import Problem
from .render import STATIC_DIR

FOLDER = STATIC_DIR / "vendor" / "yasgui"
MEDIA_TYPES = {"yasgui.min.js": "text/javascript; charset=utf-8", "yasgui.min.css": "text/css; charset=utf-8"}
# Read once, from a fixed list of names: no path from a URL reaches the file system.
ASSETS = {name: (FOLDER / name).read_bytes() for name in MEDIA_TYPES if (FOLDER / name).is_file()}
VERSIONS = {name: hashlib.sha256(body).hexdigest()[:12] for name, body in ASSETS.items()}
PATH = "/static/vendor/yasgui/"


def available() -> bool:
    """True when both of YASGUI's files were fetched at set-up."""
    return len(ASSETS) == len(MEDIA_TYPES)


def url(name: str) -> str:
    """The file's URL, carrying its content hash so that a browser never keeps a stale copy."""
    return f"{PATH}{name}?v={VERSIONS[name]}"


def asset(name: str, v: str | None) -> Response:
    """One of YASGUI's files, cached for good at the URL the page links."""
    if name not in ASSETS:
        raise Problem(404, "Not found", f"no editor file '{name}'")
    cache = "public, max-age=31536000, immutable" if v == VERSIONS[name] else "no-cache"
    return Response(ASSETS[name], media_type=MEDIA_TYPES[name], headers={"Cache-Control": cache})
