"""Turn curation records into quads: domain triples, claims with selectors, reified statements.

Every domain triple is emitted with an rdf:Statement that a claim (a quoted passage) or a curated
link (the curators, or an external public source) supports, so any triple can be traced back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

from ..namespaces import CITO, CLAIM, CURATORS, GRAPH, ID, OA, OTKG, STATEMENT
from ..seeds import Document
from ..terms import ENGLISH, Property, TermError, Terms
from .curation import ORIGIN_KEYS, Record, Table
from .entail import Supers, entailed_types
from .locate import QuoteError, find, normalise

INTEGERS = {XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger}  # all written as xsd:integer
CURATION_GRAPH = GRAPH["curation"]
STRENGTHS = {"publisher", "secondary"}  # how strong an external source is (otkg:sourceStrength)
# how well the passage or fact carries a curators' reading (otkg:readingStrength)
READINGS = {"supported", "weak"}


class AssemblyError(ValueError):
    """A record that cannot become triples; the message names its file and id."""


@dataclass(frozen=True)
class Evidence:
    node: URIRef
    graph: URIRef


def _check_strength(origin: dict) -> None:
    """A curators' reading says how well it is supported (supported or weak); an external source may
    say how strong it is (publisher or secondary)."""
    strength = origin.get("strength")
    if "curated" in origin and strength not in READINGS:
        raise AssemblyError(
            f"a curators' reading needs strength: one of {sorted(READINGS)} (has {strength!r})"
        )
    if "curated" not in origin and "source" not in origin and strength is not None:
        raise AssemblyError("strength qualifies a curators' reading or an external source, not a quote alone")
    if "source" in origin and strength is not None and strength not in STRENGTHS:
        raise AssemblyError(
            f"an external source's strength must be one of {sorted(STRENGTHS)} (has {strength!r})"
        )


def statement_iri(s, p, o) -> URIRef:
    """Deterministic IRI of the reified statement of one triple."""
    # an IRI written as n3() writes it, without its validity check (the triple's own terms were made
    # by rdflib already): a sheet import hashes ~30,000 of them
    key = " ".join(f"<{t}>" if type(t) is URIRef else t.n3() for t in (s, p, o)).encode("utf-8")
    return STATEMENT[hashlib.sha256(key).hexdigest()[:20]]


class Assembler:
    def __init__(self, terms: Terms, documents: dict[str, Document], known_ids: set[str]):
        self.terms, self.documents, self.known_ids = terms, documents, known_ids
        self.quads: set[tuple] = set()

    def add_table(self, table: Table) -> None:
        for rec in table.records:
            try:
                self.add_record(rec)
            except (QuoteError, TermError, AssemblyError, ValueError) as exc:
                raise AssemblyError(f"{rec.where()}: {exc}") from None

    def add_record(self, rec: Record) -> None:
        entity = ID[rec.id]
        main = self._evidence(rec, rec.origin, rec.id, body=entity)
        for i, name in enumerate(rec.types):
            own = rec.type_origins.get(name)  # a class item with its own quote/curated/source
            evidence = self._evidence(rec, own, f"{rec.id}/a-{i + 1}", entity) if own else main
            self._assert(entity, RDF.type, self.terms.cls(name), evidence)
        for key, value in rec.props.items():
            prop = self.terms.prop(key)
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                obj, own = self._value(rec, prop, item, f"{rec.id}/{key}-{i + 1}", entity)
                self._assert(entity, prop.iri, obj, own or main)

    # -- evidence -----------------------------------------------------------------------------
    def _evidence(self, rec: Record, origin: dict, key: str, body: URIRef) -> Evidence:
        _check_strength(origin)
        if "quote" in origin:
            claim = self._claim(rec, origin, key, body)
            if "curated" in origin:  # a curators' reading of the quoted passage, marked as theirs
                self._add(claim.node, RDF.type, OTKG.CuratedLink, claim.graph)
                self._add(claim.node, PROV.wasAttributedTo, CURATORS, claim.graph)
                self._add(claim.node, OTKG.curationNote, Literal(str(origin["curated"])), claim.graph)
                self._add(claim.node, OTKG.readingStrength, Literal(str(origin["strength"])), claim.graph)
            return claim
        node = CLAIM[f"{'curated' if 'curated' in origin else 'external'}/{rec.graph}/{key}"]
        graph = CURATION_GRAPH if "curated" in origin else GRAPH[rec.graph]
        self._add(node, RDF.type, OTKG.CuratedLink, graph)
        self._add(node, RDF.type, PROV.Entity, graph)
        self._add(node, PROV.wasAttributedTo, CURATORS, graph)
        self._add(node, OTKG.recordId, Literal(rec.id), graph)
        if "curated" in origin:
            self._add(node, OTKG.curationNote, Literal(str(origin["curated"])), graph)
            self._add(node, OTKG.readingStrength, Literal(str(origin["strength"])), graph)
        else:
            self._add(node, DCTERMS.source, URIRef(str(origin["source"])), graph)
            self._add(node, OTKG.verificationStatus, Literal(str(origin.get("status"))), graph)
            if "strength" in origin:
                self._add(node, OTKG.sourceStrength, Literal(str(origin["strength"])), graph)
        return Evidence(node, graph)

    def _claim(self, rec: Record, origin: dict, key: str, body: URIRef) -> Evidence:
        doc = None if rec.document is None else self.documents.get(rec.document)
        if doc is None:
            raise AssemblyError(f"document {rec.document!r} is not a known source document")
        # A table kept in its own graph (e.g. the care map's curated readings of seed 000) names its
        # claims under that graph, so they never merge with the document table's claims.
        scope = doc.id if rec.graph == doc.id else f"{rec.graph}/{doc.id}"
        node, graph, source = CLAIM[f"{scope}/{key}"], GRAPH[rec.graph], ID[doc.id]
        for t in (OTKG.Claim, OA.Annotation, PROV.Entity):
            self._add(node, RDF.type, t, graph)
        self._add(node, OTKG.recordId, Literal(rec.id), graph)
        self._add(node, OA.motivatedBy, OA.describing, graph)
        self._add(node, OA.hasBody, body, graph)
        self._add(node, PROV.wasQuotedFrom, source, graph)
        quotes = origin["quote"] if isinstance(origin["quote"], list) else [origin["quote"]]
        for n, quote in enumerate(quotes, start=1):
            span = find(doc.text, str(quote), origin.get("within"))
            target = URIRef(f"{node}#target-{n}")
            self._add(node, OA.hasTarget, target, graph)
            self._add(target, RDF.type, OA.SpecificResource, graph)
            self._add(target, OA.hasSource, source, graph)
            tq, tp = URIRef(f"{node}#quote-{n}"), URIRef(f"{node}#position-{n}")
            self._add(target, OA.hasSelector, tq, graph)
            self._add(target, OA.hasSelector, tp, graph)
            self._add(tq, RDF.type, OA.TextQuoteSelector, graph)
            self._add(tq, OA.exact, Literal(span.exact), graph)
            self._add(tq, OA.prefix, Literal(span.prefix), graph)
            self._add(tq, OA.suffix, Literal(span.suffix), graph)
            self._add(tp, RDF.type, OA.TextPositionSelector, graph)
            self._add(tp, OA.start, Literal(span.start, datatype=XSD.integer), graph)
            self._add(tp, OA.end, Literal(span.end, datatype=XSD.integer), graph)
        if key == rec.id:  # in-text citations belong to the record's main passage
            for ref in rec.cites:
                self._add(node, CITO.cites, self._ref(ref), graph)
        return Evidence(node, graph)

    def quoted_text(self, rec: Record, origin: dict) -> str:
        if rec.document is None:
            raise AssemblyError(f"{rec.where()}: a quote needs the document it is quoted from")
        doc = self.documents[rec.document]
        quotes = origin["quote"] if isinstance(origin["quote"], list) else [origin["quote"]]
        return " ".join(normalise(find(doc.text, str(q), origin.get("within")).exact) for q in quotes)

    # -- values -------------------------------------------------------------------------------
    def _value(self, rec: Record, prop: Property, item, key: str, entity: URIRef):
        own = None
        if isinstance(item, dict):
            extra = set(item) - {"ref", "value", *ORIGIN_KEYS}
            if extra:
                raise AssemblyError(f"unknown keys {sorted(extra)} in value of {key}")
            origin = {k: item[k] for k in ORIGIN_KEYS if k in item}
            if "source" in origin and ("quote" in origin or "curated" in origin):
                raise AssemblyError(f"value {key} mixes an external source with a quote or a note")
            if "source" in origin and origin.get("status") != "verified":
                raise AssemblyError(f"value {key} has an external source but not status: verified")
            if origin:
                if "quote" in origin and rec.document is None:
                    raise AssemblyError(f"value {key} has a quote but the file names no document")
                own = self._evidence(rec, origin, key, body=entity)
            if "ref" in item:
                raw = item["ref"]
            elif "value" in item:
                raw = item["value"]
            elif "quote" in item:
                raw = self.quoted_text(rec, origin)
            else:
                raise AssemblyError(f"value of {key} needs ref, value or quote")
        else:
            raw = item
        if prop.kind == OWL.ObjectProperty:
            return self._ref(str(raw)), own
        return self._literal(prop, raw), own

    def _ref(self, rid: str) -> URIRef:
        if ":" in rid:
            return URIRef(self.terms._iri(rid))
        if rid not in self.known_ids:
            raise AssemblyError(f"reference to unknown record id {rid!r}")
        return ID[rid]

    @staticmethod
    def _literal(prop: Property, raw) -> Literal:
        rng = prop.range
        if rng in INTEGERS:
            return Literal(str(int(raw)), datatype=XSD.integer)
        if rng == XSD.decimal:
            return Literal(str(Decimal(str(raw))), datatype=XSD.decimal)
        if rng == XSD.boolean:
            if not isinstance(raw, bool):
                raise AssemblyError(f"value {raw!r} for {prop.iri} is not true or false")
            return Literal("true" if raw else "false", datatype=XSD.boolean)
        if rng == XSD.anyURI:
            return Literal(str(raw), datatype=XSD.anyURI)
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise AssemblyError(f"value {raw!r} for {prop.iri} is not text")
        if isinstance(raw, int) and rng is None:
            return Literal(str(raw), datatype=XSD.integer)
        text = " ".join(str(raw).split())
        return Literal(text, lang="en") if prop.iri in ENGLISH else Literal(text)

    # -- entailed types -----------------------------------------------------------------------
    def entail_types(self, supers: Supers) -> int:
        """Type every instance with the superclasses of its types, traced as kg.pipeline.entail says;
        call once all tables are added. Returns how many (instance, type) pairs were added."""
        added = set()
        for e in list(entailed_types(self.quads, supers)):
            added.add((e.instance, e.type))
            for g in () if e.evidence else e.graphs:
                self._add(e.instance, RDF.type, e.type, g)
            for node, graph in e.evidence:
                self._assert(e.instance, RDF.type, e.type, Evidence(node, graph))
                st = statement_iri(e.instance, RDF.type, e.type)
                self._add(st, PROV.wasDerivedFrom, statement_iri(e.instance, RDF.type, e.asserted), graph)
        return len(added)

    # -- output -------------------------------------------------------------------------------
    def _assert(self, s, p, o, evidence: Evidence) -> None:
        self._add(s, p, o, evidence.graph)
        st = statement_iri(s, p, o)
        self._add(st, RDF.type, RDF.Statement, evidence.graph)
        self._add(st, RDF.subject, s, evidence.graph)
        self._add(st, RDF.predicate, p, evidence.graph)
        self._add(st, RDF.object, o, evidence.graph)
        self._add(evidence.node, OTKG.supports, st, evidence.graph)

    def _add(self, s, p, o, g) -> None:
        self.quads.add((s, p, o, g))
