"""`Link` headers (RFC 8288) on the answers of resources with an otkg IRI: where the resource's
canonical IRI is (rel="canonical", RFC 6596), the same description in each RDF format offered
(rel="alternate" with its media type, as Linked Data servers announce their formats), and the RDF
description of what the IRI names (rel="describedby", as LDP and Solid link a resource to it)."""

from __future__ import annotations

from urllib.parse import quote

from .negotiation import Format

# Reserved characters keep their meaning; anything else outside ASCII is percent-encoded, since a
# header carries bytes, not IRIs.
SAFE = "/#:@!$&'()*+,;=-._~%?"


def _uri(iri: str) -> str:
    return quote(iri, safe=SAFE)


def link_header(canonical: str, path: str, formats: list[Format], described_by: str = "turtle") -> str:
    """The Link header value for the answer at `path` about `canonical`, offering `formats`."""
    target = _uri(path)
    links = [f'<{_uri(canonical)}>; rel="canonical"']
    for f in formats:
        if not getattr(
            f, "by_profile_only", False
        ):  # one alternate per media type (JSON-LD's compacted form)
            links.append(f'<{target}?format={f.name}>; rel="alternate"; type="{f.media_type}"')
    described = next(f for f in formats if f.name == described_by)
    links.append(f'<{target}?format={described.name}>; rel="describedby"; type="{described.media_type}"')
    return ", ".join(links)
