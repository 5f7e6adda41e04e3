"""The home page, search results, entity pages and evidence trails as HTML."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse

from ...kg.pipeline.release import DISTRIBUTIONS
from .. import service
from ..execution import Reads
from ..routers.release_files import distributions
from . import care_map, evidence, provenance
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
OTKG = "https://w3id.org/otkg/ontology#"
HOME_PACKAGES = 12  # Trusts' packages listed on the home page; the query form lists them all


def _kind(class_iri: str) -> str:
    """'KeyPerformanceIndicator' -> 'key performance indicator'."""
    return words(class_iri).lower()


def _reads(request: Request) -> Reads:
    return Reads(request, request.app.state.settings.read_deadline)


async def _fresh_labels(reads: Reads) -> None:
    """Bring the labels links show (the search index's) up to the store's generation, so that a
    package another process has just stored reads by its label, not its IRI; past the deadline the
    page keeps the labels it has."""
    try:
        await reads.services.current_search(reads.left())
    except TimeoutError:
        pass


async def home(request: Request) -> HTMLResponse:
    """What people come for first (a cluster, a package, an intervention, the evidence, contributing),
    then the release: its digests, source documents and entities per kind."""
    reads = _reads(request)
    counts = [
        {"class": r["class"], "kind": _kind(r["class"]), "count": int(r["entities"])}
        for r in (await service.catalogue_rows(reads, "entity-counts"))[0]
    ]
    packages = {
        kind: (
            await service.catalogue_rows(reads, "entities-of-class", HOME_PACKAGES, **{"class": OTKG + kind})
        )
        for kind in ("IndicativeCarePackage", "LocalCarePackage")
    }
    return page(
        request,
        "home.html",
        counts=counts,
        total=sum(c["count"] for c in counts),
        documents=(await service.catalogue_rows(reads, "source-documents"))[0],
        queries=len(reads.services.catalog),
        clusters=(await service.catalogue_rows(reads, "care-clusters"))[0],
        interventions=(await service.catalogue_rows(reads, "intervention-definitions"))[0],
        national=packages["IndicativeCarePackage"][0],
        local=packages["LocalCarePackage"][0],
        more_local=packages["LocalCarePackage"][1],
        downloads=await _downloads(request),
    )


async def _downloads(request: Request) -> list[dict]:
    """The release's files as people download them: name, what it holds, size and SHA-256 (the
    same bytes as /release/<version>/<name> and the VoID's figures)."""
    files = await distributions(request)
    return [
        {
            "name": name,
            "what": DISTRIBUTIONS[name][1],
            "size": _size(len(data)),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        for name, data in files.items()
    ]


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB" if n >= 1e3 else f"{n} bytes"


async def search(request: Request, q: str, limit: int) -> HTMLResponse:
    """Ranked hits, each linking to its entity page."""
    hits = await service.search(_reads(request), q, limit)
    return page(request, "search.html", q=q, search_q=q, hits=hits, limit=limit)


async def _describe(reads: Reads, iri: str) -> tuple[list, dict[str, list[dict]], list[tuple[str, str]]]:
    triples, _ = await service.description(reads, iri)  # 404 when nothing is about it
    props: dict[str, list[dict]] = {}
    incoming = set()
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            values = props.setdefault(t.predicate.value, [])
            if term(t.object) not in values:  # a triple asserted in several graphs reads once
                values.append(term(t.object))
        elif t.object == ox.NamedNode(iri) and isinstance(t.subject, ox.NamedNode | ox.BlankNode):
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


async def entity(path: str, request: Request, format: str | None = None) -> HTMLResponse:
    """Label, definition, links out and in, and each claim's passage highlighted in its document."""
    iri, reads = service.entity_iri(path), _reads(request)
    services = reads.services
    triples, props, incoming = await _describe(reads, iri)
    await _fresh_labels(reads)
    body = (
        evidence.claim_body(triples)
        if any(v.get("iri", "").endswith("ontology#Claim") for v in props.get(RDF_TYPE, []))
        else None
    )
    found = await evidence.chain(reads, iri, 240, body)
    label = _label(iri, props, services.search.labels)
    definitions = [v["value"] for p in DEFINITIONS for v in props.get(p, []) if "value" in v]
    definitions = list(dict.fromkeys(definitions))  # skos:definition and otkg:text may say the same
    # The claims about the entity are listed with their passages, a cluster's packages and rules
    # in its care map; Links in names only the rest, so that each link shows once.
    claims = {item["evidence"] for item in found["evidence"]}
    care = await care_map.sections(reads, iri, props, RDF_TYPE)
    listed = care_map.links_listed(care)
    incoming = [
        (s, p) for s, p in incoming if not (p == evidence.OA_BODY and s in claims) and (s, p) not in listed
    ]
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
        care=care,
        listed=bool(listed),
    )


async def trace(request: Request, iri: str, context: int) -> HTMLResponse:
    """The evidence trail drawn as SVG, then the same trail as text and tables."""
    iri, reads = service.check_iri(iri), _reads(request)
    services = reads.services
    triples, props, _ = await _describe(reads, iri)
    await _fresh_labels(reads)
    is_claim = any(v.get("iri", "").endswith("ontology#Claim") for v in props.get(RDF_TYPE, []))
    found = await evidence.chain(reads, iri, context, evidence.claim_body(triples) if is_claim else None)
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
