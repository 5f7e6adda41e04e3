"""How RDF terms read on a page: compact names, links to the pages of otkg IRIs, short labels."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox

from ...kg.namespaces import BASE, ONTOLOGY_IRI, PREFIXES

# Only these otkg paths have pages (api/routers/entities.py resolves them).
PAGE_PATHS = ("id/", "claim/", "statement/", "graph/")
# Longest namespace first, so that id: wins over a shorter prefix of it.
NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
SAFE = "/#:@!$&'()*+,;=-._~"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def has_page(iri: str) -> bool:
    return iri.startswith(BASE) and iri[len(BASE) :].startswith(PAGE_PATHS)


def href(iri: str) -> str | None:
    """The local page of an otkg IRI (an ontology term's: its entry on /ontology), the IRI itself for
    other web IRIs, or None (no link)."""
    if has_page(iri):
        return "/" + quote(iri[len(BASE) :], safe=SAFE)
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):  # a term's entry in the ontology docs
        return "/" + quote(iri[len(BASE) :], safe=SAFE)
    if iri.startswith(("http://", "https://")) and not iri.startswith(BASE):
        return iri
    return None


def compact(iri: str) -> str:
    """prefix:local for a known namespace, the IRI otherwise."""
    for ns, prefix in NAMESPACES:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def short(text: str, length: int = 60) -> str:
    """The text cut at a word boundary to about `length` characters, with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return (cut if len(cut) > length // 2 else text[:length]) + "…"


def excerpt(text: str, length: int = 110) -> str:
    """The text on one line; a long one cut to its opening and closing words around an ellipsis, so
    that passages which open alike (a definition and its first point) still read differently."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    tail = text[-(length * 3 // 10) :]
    tail = tail.split(" ", 1)[1] if " " in tail[1:] else tail
    return f"{short(text, length * 6 // 10).removesuffix('…')} … {tail}"


def words(iri: str) -> str:
    """A class or property name as words: otkg:KeyPerformanceIndicator -> 'key performance indicator',
    otkg:inMOHODomain -> 'in MOHO domain'."""
    name = compact(iri).split(":", 1)[-1]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).split(" ")
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in spaced)


def label_of(iri: str, labels: dict[str, str]) -> str:
    """What a link to the IRI says: its label, else a readable form of its path."""
    if iri in labels:
        return labels[iri]
    if iri.startswith(BASE + "claim/"):
        return iri[len(BASE) + 6 :]
    if iri.startswith(BASE + "statement/"):
        return "statement " + iri[len(BASE) + 10 :]
    return compact(iri)


def term(t) -> dict:
    """A pyoxigraph term as the templates read it: {iri}, {bnode} or {value, lang, datatype}."""
    if isinstance(t, ox.NamedNode):
        return {"iri": t.value}
    if isinstance(t, ox.BlankNode):
        return {"bnode": t.value}
    datatype = None if t.language or t.datatype.value == XSD_STRING else t.datatype.value
    return {"value": t.value, "lang": t.language, "datatype": datatype}


def json_term(t: dict) -> dict:
    """A SPARQL 1.1 JSON results term in the same shape as term()."""
    if t["type"] == "uri":
        return {"iri": t["value"]}
    if t["type"] == "bnode":
        return {"bnode": t["value"]}
    datatype = t.get("datatype")
    return {
        "value": t["value"],
        "lang": t.get("xml:lang"),
        "datatype": None if datatype == XSD_STRING else datatype,
    }
