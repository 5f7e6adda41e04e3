"""A Trust's local care package uploaded as its own named graph: parse safely, then validate.

Nothing in an upload can make otkg reach out or blow up: JSON-LD remote contexts are refused
(pyoxigraph has no document loader, and we say so before it does), and RDF/XML may not declare a
DOCTYPE, whose entities pyoxigraph would expand (a few hundred bytes can expand to gigabytes).
Nor may an upload nest more than 100 levels deep (issue 22): pyoxigraph 0.5.13's JSON-LD parser
died of a stack overflow on 10,000 nested objects, after seconds of work that grew with the square of
the depth, and its RDF/XML parser took 0.8 s on 10,000 nested elements and over a minute on 100,000;
Turtle nested 100,000 deep parses, but no care package needs more than a few levels either.
An upload must hold a local care package, trace every triple about an entity to a claim or curated
link (the untraced-triple QC query), and pass the same SHACL shapes as the built graph.
"""

from __future__ import annotations

import json
import re
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..namespaces import OTKG
from ..oxterms import solutions
from ..sparql_depth import TEXT_SRC
from ..store.seam import LOCAL_GRAPHS

UPLOAD_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LOCAL_PACKAGE = ox.NamedNode(str(OTKG) + "LocalCarePackage")
MAX_DEPTH = 100  # levels of nesting in an upload (module docstring)

# What opens and closes a level, found past strings (and for Turtle IRIs and comments), which may
# hold brackets as text. A JSON string left open runs to the end: matched again at every quote in
# it, it would take time growing with the square of its length.
_JSON_NEST = re.compile(rb'"(?:[^"\\]|\\.)*+"?|[\[{\]}]')
_JSON_STEP = {b"[": 1, b"{": 1, b"]": -1, b"}": -1}
_TURTLE_NEST = re.compile(rf"{TEXT_SRC}|\\[^\n\r]|<<|>>|\{{\||\|\}}|[\[(\])]")  # ex:a\#b: no comment
_TURTLE_STEP = {"[": 1, "(": 1, "<<": 1, "{|": 1, "]": -1, ")": -1, ">>": -1, "|}": -1}
_NESTING = {  # what counts as a level, for the message
    ox.RdfFormat.JSON_LD: "JSON arrays and objects",
    ox.RdfFormat.RDF_XML: "XML elements",
    ox.RdfFormat.TURTLE: "blank nodes, collections and quoted triples",
    ox.RdfFormat.N_TRIPLES: "quoted triples",
}


class UploadError(ValueError):
    """An upload that cannot be accepted; `status` is the HTTP status that says why."""

    def __init__(self, status: int, title: str, detail: str, violations: list[str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.violations = status, title, detail, violations or []


def graph_iri(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        raise UploadError(
            400, "Bad graph name", "a local graph name is 1-64 lower-case letters, digits and inner hyphens"
        )
    return LOCAL_GRAPHS + slug


def _remote_contexts(doc) -> bool:
    """True if a JSON-LD document names any context by IRI (which would have to be fetched).
    A loop over a list of nodes to visit, not recursion, so no document is too deep for it."""
    todo = [doc]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            if "@import" in node:  # JSON-LD 1.1: a context that imports another by IRI
                return True
            ctx = node.get("@context")
            if isinstance(ctx, str) or (isinstance(ctx, list) and any(isinstance(c, str) for c in ctx)):
                return True
            todo.extend(node.values())  # a context's own values too: a scoped context may name one
    return False


def _depth(body: bytes, fmt: ox.RdfFormat) -> int:
    """How deep the upload nests, or MAX_DEPTH + 1 once it is known to nest deeper."""
    if fmt == ox.RdfFormat.RDF_XML:
        return xml_depth(body)
    if fmt == ox.RdfFormat.JSON_LD:
        openers = body.count(b"[") + body.count(b"{")
        steps = (_JSON_STEP.get(m.group(), 0) for m in _JSON_NEST.finditer(body))
    else:
        openers = body.count(b"[") + body.count(b"(") + body.count(b"<<") + body.count(b"{|")
        text = body.decode("utf-8", "replace")  # pyoxigraph says what is wrong with the encoding
        steps = (_TURTLE_STEP.get(m.group(), 0) for m in _TURTLE_NEST.finditer(text))
    if openers <= MAX_DEPTH:  # no deeper than it has openers: most uploads are never scanned
        return openers
    depth = deepest = 0
    for step in steps:
        depth = max(depth + step, 0)  # a stray closer is the parser's to report
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
    return deepest


class _TooDeep(Exception):
    pass


def xml_depth(body: bytes) -> int:
    """An XML document's element depth by expat, which reads comments, CDATA and quoted '>' right
    and needs no recursion; MAX_DEPTH + 1 once deeper. Malformed XML is the parser's to report."""
    if body.count(b"<") <= MAX_DEPTH:
        return body.count(b"<")  # no deeper than it has tags
    parser = expat.ParserCreate()
    depth = deepest = 0

    def start(name, attributes):
        nonlocal depth, deepest
        depth += 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise _TooDeep

    def end(name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(body, True)
    except (_TooDeep, expat.ExpatError):
        pass
    return deepest


def upload_format(media_type: str) -> ox.RdfFormat:
    """The format of an upload's media type; 415 for any other."""
    fmt = UPLOAD_FORMATS.get(media_type)
    if fmt is None:
        raise UploadError(
            415,
            "Unsupported media type",
            f"upload one of: {', '.join(UPLOAD_FORMATS)}, or a "
            "package sheet as text/csv or application/vnd.openxmlformats-officedocument."
            "spreadsheetml.sheet",
        )
    return fmt


def parse(body: bytes, fmt: ox.RdfFormat, base_iri: str) -> list[ox.Triple]:
    """The triples of an upload; raises UploadError (400 for bad content)."""
    try:
        return _parse(body, fmt, base_iri)
    except RecursionError:  # never expected past the depth check; still a 400, not a 500
        raise UploadError(400, "Nested too deep", "the upload nests too deep to be read") from None


def _parse(body: bytes, fmt: ox.RdfFormat, base_iri: str) -> list[ox.Triple]:
    if fmt == ox.RdfFormat.RDF_XML and re.search(rb"<!(DOCTYPE|ENTITY)", body, re.IGNORECASE):
        raise UploadError(400, "DOCTYPE refused", "RDF/XML uploads may not declare a DOCTYPE or entities")
    depth = _depth(body, fmt)
    if depth > MAX_DEPTH:
        raise UploadError(
            400,
            "Nested too deep",
            f"the upload nests {depth} levels deep or more ({_NESTING[fmt]}); at most {MAX_DEPTH} are allowed",
        )
    if fmt == ox.RdfFormat.JSON_LD:
        try:
            doc = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise UploadError(400, "Malformed upload", f"not JSON: {exc}") from None
        if _remote_contexts(doc):
            raise UploadError(
                400,
                "Remote context refused",
                "JSON-LD contexts must be given inline; otkg never fetches a context by its IRI",
            )
    try:
        triples = [t for t in ox.parse(body, format=fmt, base_iri=base_iri)]
    except (SyntaxError, ValueError) as exc:
        raise UploadError(400, "Malformed upload", f"not valid {fmt.media_type}: {exc}") from None
    return triples


def _to_rdflib(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def untraced(triples: list[ox.Triple]) -> list[str]:
    """The upload's triples about otkg entities that nothing traces: the untraced-triple QC query
    over the upload alone (its statements and claims must travel with it)."""
    from .validate import qc_queries

    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    rows = solutions(store.query(qc_queries()["untraced-triple"]))
    return [" ".join(str(term) for term in row) for row in rows]


def validate(triples: list[ox.Triple], ontology: Graph) -> None:
    """Refuse (422) an upload without a local care package or one that breaks the otkg shapes."""
    from .validate import shacl

    if not any(t.predicate == RDF_TYPE and t.object == LOCAL_PACKAGE for t in triples):
        raise UploadError(
            422, "Not a local care package", "the upload must describe at least one otkg:LocalCarePackage"
        )
    data = Graph()
    for t in triples:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            raise UploadError(422, "RDF-star refused", "uploads hold plain triples only")
        data.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    refused = untraced(triples)
    if refused:
        raise UploadError(
            422,
            "Untraced triples",
            f"{len(refused)} triple(s) about otkg entities have no "
            "reified statement supported by a claim or curated link; the upload was not stored",
            refused[:50],
        )
    violations = shacl(data, ontology)
    if violations:
        raise UploadError(
            422,
            "Validation failed",
            f"{len(violations)} SHACL violation(s); the upload was not stored",
            [str(v) for v in violations[:50]],
        )
