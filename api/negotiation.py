"""Content negotiation: Accept with q-values, a `format` override, 406 when nothing fits."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import Problem


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


RESULT_FORMATS = [
    Format("json", "application/sparql-results+json", results=ox.QueryResultsFormat.JSON),
    Format("xml", "application/sparql-results+xml", results=ox.QueryResultsFormat.XML),
    Format("csv", "text/csv", results=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", results=ox.QueryResultsFormat.TSV),
]
GRAPH_FORMATS = [
    Format("turtle", "text/turtle", rdf=ox.RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", rdf=ox.RdfFormat.N_TRIPLES),
    Format("jsonld", "application/ld+json", rdf=ox.RdfFormat.JSON_LD),
    Format("rdfxml", "application/rdf+xml", rdf=ox.RdfFormat.RDF_XML),
]
# Aliases clients commonly send for the same representations.
ALIASES = {"application/json": "application/sparql-results+json", "text/plain": "application/n-triples",
           "application/xml": "application/sparql-results+xml", "text/xml": "application/sparql-results+xml"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        if not media:
            continue
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, -specificity, i))
    ranges.sort(key=lambda r: (-r[1], r[2], r[3]))
    return [(m, q) for m, q, _, _ in ranges]


def _matches(media_range: str, media_type: str) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return ALIASES.get(media_range, media_range) == media_type


def choose(accept: str | None, formats: list[Format], override: str | None = None) -> Format:
    """Pick a format by `format` override or Accept; raise 406 naming what is on offer."""
    offered = ", ".join(f.media_type for f in formats)
    if override:
        for f in formats:
            if override.lower() in (f.name, f.media_type):
                return f
        raise Problem(406, "Not acceptable", f"format '{override}' is not one of: "
                      f"{', '.join(f.name for f in formats)}")
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        for f in formats:
            if _matches(media, f.media_type) and not _refused(accept, f.media_type):
                return f
    raise Problem(406, "Not acceptable", f"none of the accepted types fits; this resource offers {offered}")


def _refused(accept: str | None, media_type: str) -> bool:
    """True if Accept names this exact type with q=0."""
    return any(q == 0 and ALIASES.get(m, m) == media_type for m, q in parse_accept(accept))
