"""The home page, search results, entity pages and evidence trails as HTML."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse

from kg import trace as trace_mod

from ..errors import Problem
from . import care_map, evidence, provenance
from .catalogue import catalogue_rows
from .render import page
from .terms import compact, label_of, term, words

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
DEFINITIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "https://w3id.org/otkg/ontology#text",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)
INCOMING_SHOWN = 200


def _kind(class_iri: str) -> str:
    """'KeyPerformanceIndicator' -> 'key performance indicator'."""
    return words(class_iri).lower()


def home(request: Request, services) -> HTMLResponse:
    """What the graph holds, its release and sources, and a search box."""
    counts = [
        {"class": r["class"], "kind": _kind(r["class"]), "count": int(r["entities"])}
        for r in catalogue_rows(services, "entity-counts")
    ]
    return page(
        request,
        "home.html",
        counts=counts,
        total=sum(c["count"] for c in counts),
        documents=catalogue_rows(services, "source-documents"),
        queries=len(services.catalog),
    )


def search(request: Request, services, q: str, limit: int) -> HTMLResponse:
    """Ranked hits, each linking to its entity page."""
    return page(request, "search.html", q=q, search_q=q, hits=services.search.search(q, limit), limit=limit)


def _describe(services, iri: str) -> tuple[list, dict[str, list[dict]], list[tuple[str, str]]]:
    triples = list(trace_mod.describe(services.store, iri))
    props: dict[str, list[dict]] = {}
    incoming = set()
    for t in triples:
        if t.subject.value == iri and isinstance(t.subject, ox.NamedNode):
            values = props.setdefault(t.predicate.value, [])
            if term(t.object) not in values:  # a triple asserted in several graphs reads once
                values.append(term(t.object))
        elif t.object == ox.NamedNode(iri):
            incoming.add((t.subject.value, t.predicate.value))
    props = {
        p: sorted(v, key=lambda x: str(sorted(x.items())))
        for p, v in sorted(props.items(), key=lambda kv: compact(kv[0]))
    }
    return triples, props, sorted(incoming, key=lambda x: (compact(x[1]), x[0]))


def _label(iri: str, props: dict, labels: dict) -> str:
    for p in LABELS:
        for v in props.get(p, []):
            if "value" in v:
                return v["value"]
    return label_of(iri, labels)


def entity(request: Request, services, iri: str) -> HTMLResponse:
    """Label, definition, links out and in, and each claim's passage highlighted in its document."""
    if not trace_mod.exists(services.store, iri):
        raise Problem(404, "Not found", f"nothing in the graph is about <{iri}>")
    triples, props, incoming = _describe(services, iri)
    body = (
        evidence.claim_body(triples)
        if any(v.get("iri", "").endswith("ontology#Claim") for v in props.get(RDF_TYPE, []))
        else None
    )
    found = evidence.chain(services, iri, 240, body)
    label = _label(iri, props, services.search.labels)
    definitions = [v["value"] for p in DEFINITIONS for v in props.get(p, []) if "value" in v]
    definitions = list(dict.fromkeys(definitions))  # skos:definition and otkg:text may say the same
    # The claims about the entity are listed with their passages; Links in names only the rest.
    claims = {item["evidence"] for item in found["evidence"]}
    incoming = [(s, p) for s, p in incoming if not (p == evidence.OA_BODY and s in claims)]
    return page(
        request,
        "entity.html",
        iri=iri,
        label=label,
        props=props,
        types=props.get(RDF_TYPE, []),
        definitions=definitions,
        incoming=incoming[:INCOMING_SHOWN],
        incoming_total=len(incoming),
        found=found,
        groups=provenance.groups(found, services.search.labels),
        documents=evidence.documents(found),
        is_claim=body is not None,
        care=care_map.sections(services, iri, props, RDF_TYPE),
    )


def trace(request: Request, services, iri: str, context: int) -> HTMLResponse:
    """The evidence trail drawn as SVG, then the same trail as text and tables."""
    if not trace_mod.exists(services.store, iri):
        raise Problem(404, "Not found", f"nothing in the graph is about <{iri}>")
    triples, props, _ = _describe(services, iri)
    is_claim = any(v.get("iri", "").endswith("ontology#Claim") for v in props.get(RDF_TYPE, []))
    found = evidence.chain(services, iri, context, evidence.claim_body(triples) if is_claim else None)
    label = _label(iri, props, services.search.labels)
    return page(
        request,
        "trace.html",
        iri=iri,
        label=label,
        found=found,
        context=context,
        drawing=evidence.drawing(found, label, services.search.labels),
        groups=provenance.groups(found, services.search.labels),
        documents=evidence.documents(found),
        cited=evidence.cited(found, services.search.labels),
        drawn=min(len(found["evidence"]), evidence.DRAWN),
    )
