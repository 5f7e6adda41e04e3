"""Content negotiation: Accept with q-values, a `format` override, 406 when nothing fits."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyoxigraph as ox

from ..kg.query import jsonld
from ..kg.query.serialize import SPREADSHEET_CSV
from .errors import Problem


@dataclass(frozen=True, eq=False)  # each format is one object: compared and hashed by identity (fast)
class Format:
    name: str
    media_type: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None
    aliases: tuple[str, ...] = ()  # other media types and `format` names that select this one
    profile: str | None = None  # the media type's profile parameter, said in Content-Type (JSON-LD's forms)
    by_profile_only: bool = False  # Accept selects it only by naming its profile (`format` by its name)

    def selected_by(self, name: str) -> bool:
        if self.by_profile_only:
            return name == self.name
        return name in (self.name, self.media_type, *self.aliases)

    @property
    def content_type(self) -> str:
        return f'{self.media_type}; profile="{self.profile}"' if self.profile else self.media_type


RESULT_FORMATS = [
    Format(
        "json",
        "application/sparql-results+json",
        results=ox.QueryResultsFormat.JSON,
        aliases=("application/json",),
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        results=ox.QueryResultsFormat.XML,
        aliases=("application/xml", "text/xml"),
    ),
    Format("csv", "text/csv", results=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", results=ox.QueryResultsFormat.TSV),
]
# The aliases are what clients commonly send for a graph (SPARQLWrapper's `format=` values among them);
# Turtle answers for N3, of which it is a subset.
GRAPH_FORMATS = [
    Format(
        "turtle",
        "text/turtle",
        rdf=ox.RdfFormat.TURTLE,
        aliases=("ttl", "n3", "text/n3", "text/rdf+n3", "application/turtle", "application/x-turtle"),
    ),
    Format("ntriples", "application/n-triples", rdf=ox.RdfFormat.N_TRIPLES, aliases=("nt", "text/plain")),
    # JSON-LD compacted with the project's prefixes, unless Accept names the expanded profile
    Format(
        "jsonld-expanded",
        jsonld.MEDIA_TYPE,
        rdf=ox.RdfFormat.JSON_LD,
        profile=jsonld.EXPANDED,
        by_profile_only=True,
    ),
    Format(
        "jsonld",
        jsonld.MEDIA_TYPE,
        rdf=ox.RdfFormat.JSON_LD,
        profile=jsonld.COMPACTED,
        aliases=("json-ld", "json", "application/json"),
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        rdf=ox.RdfFormat.RDF_XML,
        aliases=("xml", "rdf+xml", "application/xml", "text/xml"),
    ),
    # dataset formats: a graph answer is written as its default graph, for clients loading quads
    Format("nquads", "application/n-quads", rdf=ox.RdfFormat.N_QUADS, aliases=("nq", "text/x-nquads")),
    Format("trig", "application/trig", rdf=ox.RdfFormat.TRIG, aliases=("application/x-trig",)),
]


def request_header(headers, name: bytes) -> str | None:
    """One request header from the ASGI list, as negotiation reads it: all its lines joined by ", "
    (RFC 9110 5.3: a repeated list header means the list of them all, in order); None when absent.
    The response cache keys on this same value, so an answer is stored under exactly what chose it:
    reading the first line here and the last there let one client's answer reach another."""
    values = [value for key, value in headers if key == name]
    if not values:
        return None
    return (values[0] if len(values) == 1 else b", ".join(values)).decode("latin-1")


def accept_of(request) -> str | None:
    """The request's Accept, every line of it (request_header)."""
    return request_header(request.scope["headers"], b"accept")


BOM = "\ufeff".encode()


def bom_wanted(raw: str | None) -> bool:
    """The `bom` parameter: true puts a UTF-8 byte order mark before a CSV answer, by which Excel
    knows the file is UTF-8 (else it reads the machine's code page, and "£" opens as "Â£")."""
    if raw is None:
        return False
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise Problem(422, "Invalid parameter", "parameter 'bom': must be true or false", parameter="bom")
    return value == "true"


def select_format(f: Format, bom: bool) -> str:
    """The format a SELECT job writes: CSV meant for a spreadsheet (`bom=true`) has each cell that
    would start a formula neutralised (kg.query.serialize.spreadsheet_field); plain CSV stays exact."""
    return SPREADSHEET_CSV if bom and f.name == "csv" else f.name


def with_bom(body: bytes, media_type: str, bom: bool) -> bytes:
    """The body, marked as UTF-8 when it is CSV and the client asked for the mark; other formats never."""
    return BOM + body if bom and media_type == "text/csv" else body


@functools.lru_cache(maxsize=512)  # clients repeat a few Accept headers; parsed once each, per process
def _accept_ranges(header: str | None) -> tuple[tuple[str, float, tuple[str, ...]], ...]:
    """Media ranges with their q-values and profiles, best first (stable for equal q)."""
    if not header:
        return (("*/*", 1.0, ()),)
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        profiles: tuple[str, ...] = ()
        if not media:
            continue
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
            elif f.lower().startswith("profile="):  # a space-separated list of IRIs, quoted or not
                profiles = tuple(f[len("profile=") :].strip('"').split())
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, profiles, -specificity, i))
    ranges.sort(key=lambda r: (-r[1], r[3], r[4]))
    return tuple((m, q, p) for m, q, p, _, _ in ranges)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q)."""
    return [(m, q) for m, q, _ in _accept_ranges(header)]


def _matches(media_range: str, profiles: tuple[str, ...], f: Format) -> bool:
    if f.by_profile_only:
        return media_range == f.media_type and f.profile in profiles
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return f.media_type.startswith(media_range[:-1])
    return f.selected_by(media_range)


def choose_or_none(accept: str | None, formats: list[Format], override: str | None = None) -> Format | None:
    """Like choose, but None when nothing fits (the caller does not yet know which kind of result)."""
    return _first_fit(accept, tuple(formats), override)


def choose(accept: str | None, formats: list[Format], override: str | None = None) -> Format:
    """Pick a format by `format` override or Accept; raise 406 naming what is on offer."""
    chosen = _first_fit(accept, tuple(formats), override)
    if chosen is not None:
        return chosen
    if override:
        raise Problem(
            406, "Not acceptable", f"format '{override}' is not one of: {', '.join(f.name for f in formats)}"
        )
    offered = ", ".join(dict.fromkeys(f.media_type for f in formats))
    raise Problem(406, "Not acceptable", f"none of the accepted types fits; this resource offers {offered}")


@functools.lru_cache(maxsize=1024)  # a function of its arguments: clients repeat a few of them
def _first_fit(accept: str | None, formats: tuple[Format, ...], override: str | None) -> Format | None:
    """The format the override names, else the first Accept ranks highest; None if none fits."""
    if override:
        wanted = override.strip().lower()
        return next((f for f in formats if f.selected_by(wanted)), None)
    ranges = _accept_ranges(accept)
    refused = [m for m, q, _ in ranges if q <= 0 and "*" not in m]  # exact types given q=0
    for media, q, profiles in ranges:
        if q <= 0:
            continue
        for f in formats:
            if _matches(media, profiles, f) and not any(f.selected_by(m) for m in refused):
                return f
    return None
