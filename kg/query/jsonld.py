"""Graph answers as JSON-LD: compacted with the project's prefixes (the default), or expanded.

`compact` writes the compacted form straight from the expanded one with the prefix map; it is
tested to equal PyLD's compaction (`compact_with_pyld`), which is too slow for large answers
(README, "JSON-LD").
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..oxterms import written

MEDIA_TYPE = "application/ld+json"
COMPACTED = "http://www.w3.org/ns/json-ld#compacted"
EXPANDED = "http://www.w3.org/ns/json-ld#expanded"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PREFIXES = [(p, str(ns)) for p, ns in sorted(PREFIXES.items())]


def context() -> dict:
    """The @context of every compacted answer: one prefix per namespace of kg.namespaces."""
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def context_document() -> bytes:
    """context() as a document of its own, served at /context.jsonld."""
    return json.dumps({"@context": context()}, indent=2).encode("utf-8")


def _node_id(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def _value(term) -> dict:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": term.datatype.value}
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return {"@id": _node_id(term)}
    raise ValueError("JSON-LD has no form for a triple term (RDF 1.2)")


def expanded(triples) -> list[dict]:
    """JSON-LD expanded form (as RDF-to-JSON-LD makes it: rdf:type as @type), one node object per
    subject in first-seen order, values in first-seen order without repeats."""
    nodes: dict[str, dict[str, dict]] = {}
    for t in triples:
        props = nodes.setdefault(_node_id(t.subject), {})
        o = t.object
        if t.predicate.value == RDF_TYPE and not isinstance(o, ox.Literal):
            props.setdefault("@type", {})[_node_id(o)] = _node_id(o)
        else:
            v = _value(o)
            props.setdefault(t.predicate.value, {})[tuple(v.values()) + (len(v),)] = v
    return [{"@id": s, **{p: list(vs.values()) for p, vs in props.items()}} for s, props in nodes.items()]


def _compact_iri(iri: str, vocab: bool, cache: dict) -> str:
    hit = cache.get((iri, vocab))
    if hit is None:
        # As JSON-LD's IRI compaction: a term for the whole IRI (vocabulary positions only), else
        # the shortest compact IRI, the lexically least among equals, else the IRI itself.
        terms = [p for p, ns in _PREFIXES if vocab and iri == ns]
        curies = [
            p + ":" + iri[len(ns) :] for p, ns in _PREFIXES if iri.startswith(ns) and len(iri) > len(ns)
        ]
        hit = terms[0] if terms else min(curies, key=lambda c: (len(c), c)) if curies else iri
        cache[(iri, vocab)] = hit
    return hit


def _compact_value(v: dict, cache: dict):
    if "@id" in v:
        return {"@id": _compact_iri(v["@id"], False, cache)}
    if "@type" in v:
        return {"@type": _compact_iri(v["@type"], True, cache), "@value": v["@value"]}
    return v if "@language" in v else v["@value"]


def _one_or_all(values: list):
    return values[0] if len(values) == 1 else values


def compact(doc: list[dict]) -> dict:
    """The compacted form of an expanded document under context(), always as an @graph."""
    cache: dict = {}
    graph = []
    for node in doc:
        out = {}
        for key, values in node.items():
            if key == "@id":
                out[key] = _compact_iri(values, False, cache)
            elif key == "@type":
                out[key] = _one_or_all([_compact_iri(t, True, cache) for t in values])
            else:
                out[_compact_iri(key, True, cache)] = _one_or_all([_compact_value(v, cache) for v in values])
        graph.append(out)
    return {"@context": context(), "@graph": graph}


def _no_fetch(url, options=None):
    raise ValueError(f"otkg never fetches a remote JSON-LD document ({url})")


def compact_with_pyld(doc: list[dict]) -> dict:
    """The same compaction by PyLD, the JSON-LD API's implementation: the reference `compact` is tested
    against (PyLD comes with the test and bench extras)."""
    from pyld import jsonld

    return jsonld.compact(doc, context(), {"graph": True, "documentLoader": _no_fetch})


def to_bytes(triples, profile: str = COMPACTED) -> bytes:
    """A graph answer as JSON-LD in the profile asked for (compacted unless EXPANDED)."""
    doc = expanded(triples)
    body = doc if profile == EXPANDED else compact(doc)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def profile_of(media_type: str) -> str | None:
    """For a JSON-LD media type (with or without a profile parameter) the profile it asks for; else None."""
    base, _, params = media_type.partition(";")
    if base.strip().lower() != MEDIA_TYPE:
        return None
    return EXPANDED if EXPANDED in params else COMPACTED


def serialize(triples, media_type: str) -> bytes:
    """Triples in any RDF media type pyoxigraph writes, JSON-LD through this module."""
    profile = profile_of(media_type)
    if profile is not None:
        return to_bytes(triples, profile)
    return written(ox.serialize(triples, format=ox.RdfFormat.from_media_type(media_type)))
