"""An entity's evidence chain shaped for the pages: claims once each, and the trail to draw from it."""

from __future__ import annotations

from .. import service
from . import provenance, svg
from .terms import compact, excerpt, href, label_of, plain, whole_words_after, whole_words_before, words

OA_BODY = "http://www.w3.org/ns/oa#hasBody"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DRAWN = 40  # evidence items drawn; the tables under the drawing list every one
HEADINGS = [
    "Entity",
    "Claims and curated links",
    "Quoted passages",
    "Source documents",
    "Cited works and policy",
]


async def chain(reads, iri: str, context: int, body: str | None = None) -> dict:
    """The trace of an entity with each piece of evidence once. For a claim, pass its body: the
    claim's own passages are read from the trace of the entity it is about."""
    found, _ = await service.trace(reads, body or iri, context)
    seen, evidence = set(), []
    for item in found["evidence"]:
        if item["evidence"] in seen or (body and item["evidence"] != iri):
            continue
        seen.add(item["evidence"])
        evidence.append({**item, "passages": [_whole_words(p, context) for p in item.get("passages", [])]})
    return {
        "entity": iri,
        "evidence": evidence,
        "policySources": [] if body else found["policySources"],
        "figures": [] if body else found["figures"],
    }


def _whole_words(p: dict, context: int) -> dict:
    """The passage with its context, cut from the document at `context` characters, ending at words."""
    before, after = p.get("before", ""), p.get("after", "")
    return {
        **p,
        "before": whole_words_before(before, len(before) >= context),
        "after": whole_words_after(after, len(after) >= context),
    }


def claim_body(triples) -> str | None:
    """The entity a claim is about (its oa:hasBody), from the claim's description."""
    return next((t.object.value for t in triples if t.predicate.value == OA_BODY), None)


def _add(nodes: dict, ident: str, kind: str, column: int, label: str, title: str, link: str | None) -> None:
    # A node met twice (a document quoted by several claims, one passage quoted by two) is drawn once.
    nodes.setdefault(ident, svg.Node(ident, kind, column, label, title, link or "#trail-text"))


def _says(item: dict, labels: dict, length: int) -> tuple[str, str]:
    """What a claim asserts, as (properties, values): 'aims at', 'a supportive environment'."""
    # A triple listed once per graph that asserts it is said once.
    said = sorted(dict.fromkeys(tuple(t) for t in item.get("supports", [])), key=lambda t: compact(t[1]))
    value = [
        words(o)
        if p == RDF_TYPE
        else label_of(o, labels)
        if o.startswith(("http://", "https://")) and " " not in o
        else excerpt(plain(o), length)
        for _, p, o in said
    ]
    return ", ".join(dict.fromkeys(words(p) for _, p, _ in said)), "; ".join(value)


def _claim_node(i: int, item: dict, labels: dict, nodes: dict) -> str:
    """A claim's box: its kind and the property it supports, then the value (each claim reads apart)."""
    ident, claim = f"c{i}", item["kind"] == "claim"
    name = label_of(item["evidence"], labels).removeprefix("curated/")
    kind = "claim" if claim else "curated link"
    prop, value = _says(item, labels, 75)
    full_prop, full_value = _says(item, labels, 2000)
    # The column and the box's colour say it is a claim; its first line says what it is a claim of.
    label = f"{'' if claim else 'curated · '}{prop}\n{value}" if prop else f"{kind}\n{name}"
    title = f"{kind.capitalize()} {name}: {full_prop} {full_value}" if prop else f"{kind.capitalize()} {name}"
    _add(nodes, ident, "claim" if claim else "curated", 1, label, title, href(item["evidence"]))
    return ident


def _evidence_nodes(i: int, item: dict, labels: dict, nodes: dict, edges: list, ids: dict) -> None:
    """The nodes and edges one claim or curated link adds: itself, its quotes, documents, cited works.
    A quote box links to its passage in the table under the drawing (ids: provenance.passage_ids)."""
    ident = _claim_node(i, item, labels, nodes)
    edges.append(("e", ident))
    for p in item.get("passages", []):
        doc, d = p["document"], "d:" + p["document"]["iri"]
        where = f"cell {p['cell']}" if p.get("cell") else f"characters {p['start']}–{p['end']}"
        q = f"q:{doc['iri']}:{where}"
        full = " ".join(p["exact"].split())
        _add(
            nodes,
            q,
            "quote",
            2,
            f"{where}\n“{excerpt(full, 75)}”",
            f"Quoted passage, {where} of {doc['file']}: “{full}”",
            "#" + ids[provenance.passage_key(p)],
        )
        title = doc.get("title") or doc["file"]
        _add(
            nodes,
            d,
            "document",
            3,
            f"{doc['iri'].rsplit('/', 1)[-1]}\n{title}",
            f"Source document: {title} ({doc['file']})",
            href(doc["iri"]),
        )
        edges += [(ident, q), (q, d)]
    if item.get("source"):
        _add(
            nodes,
            "s:" + item["source"],
            "document",
            3,
            f"public source\n{item['source']}",
            f"Public source: {item['source']}",
            href(item["source"]),
        )
        edges.append((ident, "s:" + item["source"]))
    for c in item.get("cites", []):
        what = c.get("label") or label_of(c["reference"], labels)
        kind = "policy framework" if c["policySource"] else "cited work"
        _add(
            nodes,
            "r:" + c["reference"],
            "policy" if c["policySource"] else "reference",
            4,
            f"{kind}\n{what}",
            f"{kind.capitalize()}: {what}",
            href(c["reference"]),
        )
        edges.append((ident, "r:" + c["reference"]))


def drawing(found: dict, label: str, labels: dict):
    """The SVG of the trail: entity -> claims -> quotes -> documents, claims -> cited works and policy."""
    nodes = {"e": svg.Node("e", "entity", 0, label, f"Entity: {label}", href(found["entity"]) or "#")}
    edges: list[tuple[str, str]] = []
    ids = provenance.passage_ids(found)
    for i, item in enumerate(found["evidence"][:DRAWN]):
        _evidence_nodes(i, item, labels, nodes, edges, ids)
    for p in found["policySources"]:
        r = "r:" + p["policy"]
        what = p.get("label") or label_of(p["policy"], labels)
        _add(
            nodes,
            r,
            "policy",
            4,
            f"policy framework\n{what}",
            f"Policy framework ({p['how']}): {what}",
            href(p["policy"]),
        )
        edges.append(("e", r))
    edges = list(dict.fromkeys(edges))
    shown = min(len(found["evidence"]), DRAWN)
    desc = (
        f"{label}: {shown} of {len(found['evidence'])} pieces of evidence drawn, with their quoted passages, "
        f"source documents, cited works and policy frameworks. The same trail follows as text and tables."
    )
    return svg.trail(list(nodes.values()), edges, HEADINGS, f"Evidence trail of {label}", desc)


def documents(found: dict) -> list[dict]:
    """Each source document quoted in the chain once, with how many distinct passages come from it
    (a passage quoted by two claims counts once, as the pages show it once)."""
    docs: dict[str, dict] = {}
    seen: set[tuple] = set()
    for item in found["evidence"]:
        for p in item.get("passages", []):
            d = docs.setdefault(p["document"]["iri"], {**p["document"], "passages": 0})
            d["passages"] += provenance.passage_key(p) not in seen
            seen.add(provenance.passage_key(p))
    return sorted(docs.values(), key=lambda d: d["file"])


def cited(found: dict, labels: dict) -> list[dict]:
    """Each cited work or policy framework once: what it is and how many claims cite it."""
    works: dict[str, dict] = {}
    for item in found["evidence"]:
        for c in item.get("cites", []):
            w = works.setdefault(
                c["reference"],
                {
                    "iri": c["reference"],
                    "label": c.get("label") or label_of(c["reference"], labels),
                    "policy": c["policySource"],
                    "claims": 0,
                },
            )
            w["claims"] += 1
    return sorted(works.values(), key=lambda w: (not w["policy"], w["label"].lower()))
