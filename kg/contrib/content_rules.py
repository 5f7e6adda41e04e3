"""What an upload may say (issue 20), checked on its triples before anything is validated or stored,
alike for RDF uploads and spreadsheet imports. Each offence names the triple and the rule it breaks;
the caller answers 422 listing them.

The rules keep one Trust's upload from touching anything but its own package: it describes only IRIs
under its own slug (kg.contrib.namespace), points at national entities only as objects, uses only the
ontology's terms and the standard vocabularies of its provenance model, states nothing a reasoner
would read as changing what other terms mean, and holds no text a spreadsheet would run as a formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..namespaces import BASE, ID, OTKG
from ..pipeline.assemble import statement_iri
from ..store.seam import LOCAL_GRAPHS
from .namespace import ONTOLOGY_TERMS, STATEMENTS, kind, own_prefixes, owner

MAX_LISTED = 100  # offences listed in one answer; the count says how many there were
RDF_NS, RDFS_NS, OWL_NS = str(RDF), "http://www.w3.org/2000/01/rdf-schema#", str(OWL)
OA, PROV, DCT = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/"
SKOS, CITO = "http://www.w3.org/2004/02/skos/core#", "http://purl.org/spar/cito/"
# The standard terms the provenance model and the built graph's descriptions use (besides otkg's).
STANDARD_PREDICATES = frozenset(
    [RDF_NS + n for n in ("type", "subject", "predicate", "object", "value")]
    + [RDFS_NS + n for n in ("label", "comment", "seeAlso")]
    + [SKOS + n for n in ("altLabel", "definition", "note", "prefLabel")]
    + [DCT + n for n in ("title", "description", "source", "date", "rights", "creator", "publisher")]
    + [CITO + n for n in ("cites", "citesAsEvidence")]
    + [OA + n for n in ("hasBody", "hasTarget", "hasSource", "hasSelector", "exact", "prefix", "suffix")]
    + [OA + n for n in ("start", "end", "motivatedBy")]
    + [PROV + n for n in ("wasQuotedFrom", "wasAttributedTo", "wasDerivedFrom", "generatedAtTime")]
)
STANDARD_CLASSES = frozenset(
    [RDF_NS + "Statement", PROV + "Entity", "http://purl.org/ontology/bibo/Document"]
    + [OA + n for n in ("Annotation", "SpecificResource", "TextQuoteSelector", "TextPositionSelector")]
    + [OA + "FragmentSelector", OA + "describing"]
)
# The kinds of thing a local package describes. National reference kinds (clusters, interventions,
# challenge areas, MOHO tools, policy sources) and the curators' CuratedLink are the national graph's:
# an upload typing its own IRI as a care cluster would list it among the clusters.
LOCAL_CLASSES = frozenset(
    str(OTKG[n])
    for n in [
        "CarePackage",
        "LocalCarePackage",
        "PackageElement",
        "AddedValueEntry",
        "AssessmentFocus",
        "ChallengeRating",
        "ContactEntry",
        "InterventionEntry",
        "MeasureEntry",
        "OutcomeEntry",
        "ResourceEntry",
        "SkillLevelEntry",
        "Organisation",
        "SourceDocument",
        "LocalSpreadsheet",
        "Claim",
        "EvidenceReference",
        "Outcome",
        "ExpectedOutcome",
        "QuantitativeClaim",
    ]
)
SUPPORTS, RDF_TYPE = str(OTKG.supports), RDF_NS + "type"
REIFIED = {RDF_NS + "subject": 0, RDF_NS + "predicate": 1, RDF_NS + "object": 2}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A quote's context: the document's text cut at a fixed length before and after the quote, so its
# first character is where the cut fell, not what anyone wrote. CSV for spreadsheets (bom=true)
# neutralises it like any cell.
CUT_TEXT = frozenset((OA + "prefix", OA + "suffix"))


@dataclass(frozen=True)
class Vocabulary:
    """The predicates and classes an upload may use: the ontology's own and the standard ones."""

    predicates: frozenset[str]
    classes: frozenset[str]

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Vocabulary:
        def declared(*kinds) -> set[str]:
            return {
                str(s) for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(str(OTKG))
            }

        props = declared(OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        classes = (declared(OWL.Class) & LOCAL_CLASSES) | STANDARD_CLASSES
        # and their superclasses: the importers state every type an instance has (issue 20, item 7)
        for c in list(classes):
            classes |= {str(s) for s in ontology.transitive_objects(URIRef(c), RDFS.subClassOf)}
        return cls(
            frozenset(props | STANDARD_PREDICATES), frozenset(c for c in classes if not c.startswith(OWL_NS))
        )


@dataclass(frozen=True)
class Offence:
    triple: str
    rule: str

    def as_dict(self) -> dict[str, str]:
        return {"triple": self.triple, "rule": self.rule}


def formula_like(text: str) -> bool:
    """True for text a spreadsheet would run as a formula (OWASP's CSV injection list), unless it
    is a number ('-5', '+3.2')."""
    if not text.lstrip(" ").startswith(FORMULA_STARTS):
        return False
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return True


def _rdflib(term):
    """The rdflib term statement_iri hashes: plain strings without their xsd:string datatype, as
    the importers make them."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _own_statements(triples: list[ox.Triple], own: tuple[str, ...]) -> set[str]:
    """The statement IRIs that are the reified statements of the upload's own triples: named by the
    hash of their subject, predicate and object (kg.pipeline.assemble.statement_iri), the subject its own."""
    parts: dict[str, list] = {}
    for t in triples:
        at = REIFIED.get(t.predicate.value)
        if at is not None and isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(STATEMENTS):
            parts.setdefault(t.subject.value, [None, None, None])[at] = t.object
    found = set()
    for iri, (s, p, o) in parts.items():
        if not (isinstance(s, ox.NamedNode) and s.value.startswith(own) and isinstance(p, ox.NamedNode)):
            continue
        if (
            isinstance(o, (ox.NamedNode, ox.Literal))
            and str(statement_iri(_rdflib(s), _rdflib(p), _rdflib(o))) == iri
        ):
            found.add(iri)
    return found


class _Rules:
    """One upload's rules: its slug's IRIs, and the statements of its own triples."""

    def __init__(self, triples: list[ox.Triple], slug: str, vocab: Vocabulary):
        self.slug, self.vocab = slug, vocab
        self.own = (*own_prefixes(slug),)
        self.graph = LOCAL_GRAPHS + slug
        self.statements = _own_statements(triples, self.own)

    def is_own(self, iri: str) -> bool:
        return iri.startswith(self.own) or iri == self.graph or iri in self.statements

    def check(self, t: ox.Triple) -> str | None:
        """The rule `t` breaks, or None."""
        s, p, o = t.subject, t.predicate, t.object
        if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
            return "RDF-star: an upload holds plain triples only"
        if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
            return "blank node: the provenance model names every node by an IRI under the upload's slug"
        return self.subject(s.value) or self.predicate(p.value) or self.object(p.value, o)

    def subject(self, iri: str) -> str | None:
        if self.is_own(iri):
            return None
        if iri.startswith(STATEMENTS):
            return "subject: a statement that is not the reified statement of one of the upload's own triples"
        return f"subject: {self.foreign(iri)}; an upload describes only {' and '.join(self.own)}..."

    def foreign(self, iri: str) -> str:
        other = owner(iri)
        if other is not None:
            return f"another Trust's IRI (local graph '{other}')"
        return kind(iri)

    def predicate(self, iri: str) -> str | None:
        if iri.startswith((OWL_NS, RDFS_NS)) and iri not in self.vocab.predicates:
            return f"predicate <{iri}> changes what terms mean by reasoning; uploads state facts only"
        if iri not in self.vocab.predicates:
            return (
                f"predicate <{iri}> is neither an otkg property nor a standard term of its provenance model"
            )
        return None

    def object(self, predicate: str, o) -> str | None:
        if isinstance(o, ox.Literal):
            if predicate not in CUT_TEXT and formula_like(o.value):
                return (
                    "text starting with =, +, -, @, tab or CR would run as a spreadsheet formula; reword it"
                )
            return None
        iri = o.value
        if predicate == RDF_TYPE:
            if iri not in self.vocab.classes:
                return f"type <{iri}>: an upload may type its own IRIs only as what a local package describes"
            return None
        if self.is_own(iri):
            return None
        if predicate == SUPPORTS:
            return "otkg:supports: a claim may support only the statements of its own upload"
        if predicate == OA + "hasBody":
            return "oa:hasBody: a claim's body must be one of the upload's own entities"
        if iri.startswith(BASE) and not iri.startswith(str(ID)) and not iri.startswith(ONTOLOGY_TERMS):
            return f"object: {self.foreign(iri)}; objects may point at national entities and ontology terms"
        if owner(iri) is not None:
            return f"object: {self.foreign(iri)}"
        if not iri.startswith(("https://", "http://")):
            return "object: only http(s) IRIs may be pointed at"
        return None


def offences(triples: list[ox.Triple], slug: str, vocab: Vocabulary) -> list[Offence]:
    """Every triple of the upload for local graph `slug` that breaks a rule, with the rule."""
    rules = _Rules(triples, slug, vocab)
    found = []
    for t in triples:
        rule = rules.check(t)
        if rule is not None:
            found.append(Offence(f"{t.subject} {t.predicate} {t.object} .", rule))
    return found
