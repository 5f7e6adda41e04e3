"""What the ontology documentation shows: the header and every class and property of the released
ontology (build/otkg.owl.ttl), with labels, definitions and their sources, hierarchy, domains and
ranges, as plain data for a page to render. Each otkg term's anchor is its local name, so that the
term's IRI https://w3id.org/otkg/ontology#X lands on its entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import ONTOLOGY_IRI, OTKG, PREFIXES
from .ontology_release import is_own

DEFINITION_SOURCE = URIRef("http://purl.obolibrary.org/obo/IAO_0000119")
NAMESPACES = sorted(
    [(str(ns), p) for p, ns in PREFIXES.items()] + [("http://purl.obolibrary.org/obo/", "obo")],
    key=lambda x: -len(x[0]),
)
KINDS = [  # (rdf:type, section id, heading)
    (OWL.Class, "classes", "Classes"),
    (OWL.ObjectProperty, "object-properties", "Object properties"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties"),
]


def curie(iri: str) -> str:
    """prefix:local for a known namespace, else the IRI."""
    for ns, prefix in NAMESPACES:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def anchor(iri: str) -> str:
    """The id of a term's entry: an otkg term's local name (what its hash IRI points at); for a reused
    term its prefixed name with '-' for ':' (otkg local names hold no '-', so the two never clash)."""
    if is_own(URIRef(iri)):
        return iri[len(str(OTKG)) :]
    return re.sub(r"[^A-Za-z0-9_.-]", "-", curie(iri))


@dataclass
class Term:
    iri: str
    kind: str  # section id of KINDS
    label: str
    definitions: list[str]
    sources: list[str]  # IRIs or text of obo:IAO_0000119 (definition source)
    comments: list[str]
    parents: list = field(default_factory=list)  # class expressions: {"iri"} or {"union": [iri, ...]}
    children: list[str] = field(default_factory=list)
    domain: list = field(default_factory=list)
    range: list = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    domain_of: list[str] = field(default_factory=list)  # properties whose domain names this class
    range_of: list[str] = field(default_factory=list)

    @property
    def own(self) -> bool:
        return is_own(URIRef(self.iri))

    @property
    def anchor(self) -> str:
        return anchor(self.iri)

    @property
    def curie(self) -> str:
        return curie(self.iri)


@dataclass
class OntologyDocs:
    iri: str
    title: str
    description: str
    version: str
    version_iri: str
    license: str
    creators: list[str]
    comments: list[str]
    terms: list[Term]

    def section(self, kind: str, own: bool) -> list[Term]:
        """The otkg (own=True) or reused terms of one kind, in label order."""
        return [t for t in self.terms if t.kind == kind and t.own == own]


def _texts(g: Graph, s, p) -> list[str]:
    return sorted(str(o) for o in g.objects(s, p))


def _expr(g: Graph, node) -> dict | None:
    """A class expression as the page shows it: a named class, or a union of named classes."""
    if isinstance(node, URIRef):
        return {"iri": str(node)}
    union = g.value(node, OWL.unionOf) if isinstance(node, BNode) else None
    if union is not None:
        return {"union": [str(m) for m in Collection(g, union) if isinstance(m, URIRef)]}
    return None


def _exprs(g: Graph, s, p) -> list[dict]:
    found = [_expr(g, o) for o in g.objects(s, p)]
    return sorted((e for e in found if e), key=lambda e: e.get("iri") or " ".join(e["union"]))


def _names(expressions: list[dict]) -> set[str]:
    return {n for e in expressions for n in ([e["iri"]] if "iri" in e else e["union"])}


def _term(g: Graph, s: URIRef, kind: str) -> Term:
    label = g.value(s, RDFS.label)
    hierarchy = RDFS.subClassOf if kind == "classes" else RDFS.subPropertyOf
    inverse = sorted(
        {str(o) for o in g.objects(s, OWL.inverseOf)} | {str(x) for x in g.subjects(OWL.inverseOf, s)}
    )
    return Term(
        iri=str(s),
        kind=kind,
        label=str(label) if label is not None else curie(str(s)),
        definitions=_texts(g, s, SKOS.definition),
        sources=_texts(g, s, DEFINITION_SOURCE),
        comments=_texts(g, s, RDFS.comment),
        parents=_exprs(g, s, hierarchy),
        children=sorted(str(c) for c in g.subjects(hierarchy, s) if isinstance(c, URIRef)),
        domain=_exprs(g, s, RDFS.domain),
        range=_exprs(g, s, RDFS.range),
        inverse=inverse,
    )


def describe(g: Graph) -> OntologyDocs:
    """The documentation model of an ontology graph (the full release)."""
    onto = URIRef(ONTOLOGY_IRI)
    terms = []
    for cls, kind, _ in KINDS:
        for s in g.subjects(RDF.type, cls):
            if isinstance(s, URIRef):
                terms.append(_term(g, s, kind))
    terms.sort(key=lambda t: (t.label.lower(), t.iri))
    by_iri = {t.iri: t for t in terms}
    for t in terms:  # a class lists the properties whose domain or range names it
        for name in _names(t.domain):
            if name in by_iri:
                by_iri[name].domain_of.append(t.iri)
        for name in _names(t.range):
            if name in by_iri:
                by_iri[name].range_of.append(t.iri)
    return OntologyDocs(
        iri=ONTOLOGY_IRI,
        title=str(g.value(onto, DCTERMS.title) or g.value(onto, RDFS.label) or ONTOLOGY_IRI),
        description=str(g.value(onto, DCTERMS.description) or ""),
        version=str(g.value(onto, OWL.versionInfo) or ""),
        version_iri=str(g.value(onto, OWL.versionIRI) or ""),
        license=str(g.value(onto, DCTERMS.license) or ""),
        creators=_texts(g, onto, DCTERMS.creator),
        comments=_texts(g, onto, RDFS.comment),
        terms=terms,
    )
