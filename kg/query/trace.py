"""Evidence chains and entity descriptions: claim -> quote in context -> document -> references.

Every lookup binds the IRI as a typed VALUES term (kg.sparql_text), never as raw text.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..sparql_text import with_value_rows, with_values

PREFIXES = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX otkg: <https://w3id.org/otkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# The evidence of an entity: the claims about it (their body, or a statement they support), the
# curated links supporting a statement about it, or the entity itself when it is a claim. One path
# pattern, not a UNION: pyoxigraph plans a UNION's branches without the bound ?entity, so each
# branch walked every claim (141 ms a trace on the disk store, against 23 ms this way).
EVIDENCE = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?evidence ?kind ?record ?note WHERE {
  ?evidence (oa:hasBody|otkg:supports/rdf:subject)? ?entity .
  BIND(EXISTS { ?evidence a otkg:Claim } AS ?claim)
  BIND(EXISTS { ?evidence a otkg:CuratedLink } AS ?read)  # the documents' own claims before curated readings
  FILTER(?claim || (?read && ?evidence != ?entity && EXISTS { ?evidence otkg:supports/rdf:subject ?entity }))
  BIND(IF(?claim, "claim", "curated") AS ?kind)  # a curated claim is listed once, as a claim
  OPTIONAL { ?evidence otkg:recordId ?record }
  OPTIONAL { ?evidence otkg:curationNote ?note FILTER(?claim) }  # a curated claim: the curators' reading
} ORDER BY ?kind ?read ?evidence"""
)
# The note's OPTIONAL tests ?claim, already bound, instead of repeating `?evidence a otkg:Claim`:
# pyoxigraph evaluated that group over every claim in the store before joining it, so each trace
# cost time in proportion to all claims (intervention-04: 23 ms on the real graph, 120 ms once 20
# Trusts' packages were uploaded; 2 ms this way with or without them).
# A passage is located by character offsets (seed texts) or by a cell reference (Trusts' spreadsheets).
PASSAGES = (
    PREFIXES
    + """
SELECT ?evidence ?exact ?prefix ?suffix ?start ?end ?cell ?doc ?file ?sha ?title WHERE {
  ?evidence oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?q .
  ?q oa:exact ?exact . OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }
  # paths, not one group: pyoxigraph joins a group OPTIONAL over every selector in the store
  OPTIONAL { ?t oa:hasSelector/oa:start ?start } OPTIONAL { ?t oa:hasSelector/oa:end ?end }
  OPTIONAL { ?t oa:hasSelector ?f . ?f a oa:FragmentSelector ; rdf:value ?cell }
  ?doc otkg:fileName ?file ; otkg:sha256 ?sha . OPTIONAL { ?doc rdfs:label ?title }
} ORDER BY ?start ?cell"""
)
# Figures that a document gives in support of the entity (e.g. a role's effect on falls).
FIGURES = (
    PREFIXES
    + """
SELECT DISTINCT ?figure ?label ?value ?upper ?unit ?population ?source WHERE {
  ?figure otkg:supportsIntervention ?entity ; otkg:value ?value ; otkg:unit ?unit .
  OPTIONAL { ?figure rdfs:label ?label } OPTIONAL { ?figure otkg:upperValue ?upper }
  OPTIONAL { ?figure otkg:population ?population } OPTIONAL { ?figure otkg:statisticSource ?source }
} ORDER BY ?figure"""
)
CITED = (
    PREFIXES
    + """
SELECT DISTINCT ?evidence ?ref ?label ?policy WHERE {
  ?evidence cito:cites ?ref . OPTIONAL { ?ref rdfs:label ?label }
  BIND(EXISTS { ?ref a/rdfs:subClassOf* otkg:PolicySource } AS ?policy)
} ORDER BY ?ref"""
)
SUPPORTED = (
    PREFIXES
    + """
SELECT DISTINCT ?evidence ?s ?p ?o WHERE { ?evidence otkg:supports ?st . ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
} ORDER BY ?s ?p ?o"""
)
CURATED = (
    PREFIXES
    + """
SELECT ?evidence ?note ?source ?status WHERE { OPTIONAL { ?evidence otkg:curationNote ?note }
  OPTIONAL { ?evidence dcterms:source ?source } OPTIONAL { ?evidence otkg:verificationStatus ?status } }"""
)
POLICIES = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?policy ?label ?how WHERE {
  { ?entity otkg:alignsWith ?policy BIND("aligns with" AS ?how) }
  UNION { ?c oa:hasBody ?entity ; cito:cites ?policy BIND("cited by its evidence" AS ?how) }
  ?policy a/rdfs:subClassOf* otkg:PolicySource . OPTIONAL { ?policy rdfs:label ?label }
} ORDER BY ?policy ?how"""
)
DESCRIBE = (
    PREFIXES
    + """
CONSTRUCT { ?entity ?p ?o . ?in ?q ?entity . ?c oa:hasBody ?entity ; otkg:recordId ?r ; prov:wasQuotedFrom ?doc . }
WHERE { { ?entity ?p ?o } UNION { ?in ?q ?entity FILTER(?q != oa:hasBody && ?q != rdf:subject && ?q != rdf:object) }
        UNION { ?c oa:hasBody ?entity ; otkg:recordId ?r ; prov:wasQuotedFrom ?doc } }"""
)
EXISTS = "ASK WHERE { { ?entity ?p ?o } UNION { ?s ?p ?entity } }"


def _bound(query: str, **iris: str) -> str:
    return with_values(query, {ox.Variable(k): ox.NamedNode(v) for k, v in iris.items()})


def _rows(store, query: str, **iris) -> list[dict]:
    res = store.query(_bound(query, **iris))
    names = [v.value for v in res.variables]
    return [{n: r[n].value for n in names if r[n] is not None} for r in res]


def exists(store, iri: str) -> bool:
    """True if some triple has the IRI as subject or object; False for text that is no IRI at all."""
    try:
        ox.NamedNode(iri)
    except ValueError:  # e.g. U+FFFE in it, which passes a character check: nothing can be about it
        return False
    return bool(store.query(_bound(EXISTS, entity=iri)))


def describe(store, iri: str):
    """Triples about the entity, links into it, and the claims whose body it is."""
    return store.query(_bound(DESCRIBE, entity=iri))


def trace(
    store, iri: str, context: int = 80, documents: dict[str, str] | None = None, limit: int | None = None
) -> dict:
    """The evidence chain of an entity or claim: each claim's passages in context, document,
    cited references (policy sources flagged), the statements it supports; plus curated links.

    Six queries whatever the number of claims: each detail query binds every piece of evidence
    at once (one query per claim made 502 queries for doc-002's trace). With `limit`, at most that
    many pieces of evidence, and "more" set when there were others."""
    found = evidence_chain(store, iri, limit)
    return in_context(found, context, documents)


def evidence_chain(store, iri: str, limit: int | None = None) -> dict:
    """The trace with each passage's context as the graph stores it (its prefix and suffix) and
    its offsets: what a query worker returns; `in_context` then cuts the context from the documents."""
    evidence = _rows(store, EVIDENCE, entity=iri)
    more = limit is not None and len(evidence) > limit
    evidence = evidence[:limit] if more else evidence
    ids = [ev["evidence"] for ev in evidence]
    passages, cited = _grouped(store, PASSAGES, ids), _grouped(store, CITED, ids)
    supported, curated = _grouped(store, SUPPORTED, ids), _grouped(store, CURATED, ids)
    chain = []
    for ev in evidence:
        e = ev["evidence"]
        item = {"evidence": e, "kind": ev["kind"], "record": ev.get("record")}
        if ev["kind"] == "claim":
            item["passages"] = [_passage(p) for p in passages.get(e, [])]
            item["cites"] = [
                {"reference": c["ref"], "label": c.get("label"), "policySource": c.get("policy") == "true"}
                for c in cited.get(e, [])
            ]
            if "note" in ev:
                item["note"] = ev["note"]
        else:
            item.update({k: v for k, v in (curated.get(e) or [{}])[0].items() if k != "evidence"})
        item["supports"] = [[r["s"], r["p"], r["o"]] for r in supported.get(e, [])]
        chain.append(item)
    policies = [
        {"policy": r["policy"], "label": r.get("label"), "how": r["how"]}
        for r in _rows(store, POLICIES, entity=iri)
    ]
    figures = [
        {
            "figure": r["figure"],
            "label": r.get("label"),
            "value": r["value"],
            "upperValue": r.get("upper"),
            "unit": r["unit"],
            "population": r.get("population"),
            "source": r.get("source"),
        }
        for r in _rows(store, FIGURES, entity=iri)
    ]
    found = {"entity": iri, "evidence": chain, "policySources": policies, "figures": figures}
    return {**found, "more": True} if more else found


def in_context(found: dict, context: int, documents: dict[str, str] | None) -> dict:
    """The chain with `context` characters of each passage's document before and after its quote,
    where the document's text is at hand (else the graph's own prefix and suffix stay)."""
    for item in found["evidence"]:
        for p in item.get("passages", []):
            text = (documents or {}).get(p["document"]["file"]) if "start" in p else None
            if text:
                p["before"] = text[max(0, p["start"] - context) : p["start"]]
                p["after"] = text[p["end"] : p["end"] + context]
    return found


def _grouped(store, query: str, evidence: list[str]) -> dict[str, list[dict]]:
    """The query's rows for every piece of evidence in one run, grouped by evidence (row order kept)."""
    if not evidence:
        return {}
    res = store.query(with_value_rows(query, ox.Variable("evidence"), [ox.NamedNode(e) for e in evidence]))
    names = [v.value for v in res.variables]
    out: dict[str, list[dict]] = {}
    for r in res:
        row = {n: r[n].value for n in names if r[n] is not None}
        out.setdefault(row["evidence"], []).append(row)
    return out


def _passage(row: dict) -> dict:
    doc = {"iri": row["doc"], "file": row["file"], "sha256": row["sha"], "title": row.get("title")}
    if "start" not in row:  # a spreadsheet cell: its reference instead of offsets and context
        return {"exact": row["exact"], "before": "", "after": "", "document": doc, "cell": row.get("cell")}
    return {
        "exact": row["exact"],
        "before": row.get("prefix", ""),
        "after": row.get("suffix", ""),
        "document": doc,
        "start": int(row["start"]),
        "end": int(row["end"]),
    }
