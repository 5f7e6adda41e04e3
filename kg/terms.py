"""What the ontology declares: classes and properties with their kind and range.

The build resolves curation keys against this, so a typo fails the build instead of minting a term.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .namespaces import OTKG, expand

ONTOLOGY_DIR = Path(__file__).parent.parent / "ontology"

ALIASES = {
    "label": "rdfs:label",
    "definition": "skos:definition",
    "altLabel": "skos:altLabel",
    "prefLabel": "skos:prefLabel",
    "notation": "skos:notation",
    "scopeNote": "skos:scopeNote",
    "broader": "skos:broader",
    "inScheme": "skos:inScheme",
    "title": "dcterms:title",
    "description": "dcterms:description",
    "date": "dcterms:date",
    "publisher": "dcterms:publisher",
    "isPartOf": "dcterms:isPartOf",
    "citesAsEvidence": "cito:citesAsEvidence",
    "comment": "rdfs:comment",
}
# Annotation properties whose text is English prose, so literals get @en.
ENGLISH = {
    expand(c)
    for c in (
        "rdfs:label",
        "skos:definition",
        "skos:altLabel",
        "skos:prefLabel",
        "skos:scopeNote",
        "skos:historyNote",
        "dcterms:title",
        "dcterms:description",
        "rdfs:comment",
        "dcterms:rights",
    )
}


@dataclass(frozen=True)
class Property:
    iri: URIRef
    kind: URIRef  # owl:ObjectProperty, owl:DatatypeProperty or owl:AnnotationProperty
    range: Node | None  # a datatype or class IRI, a class expression (blank node), or none


class TermError(KeyError):
    """A curation key or class that the ontology does not declare."""


class Terms:
    def __init__(self, ontology: Graph):
        self.graph = ontology
        self.classes = set(ontology.subjects(RDF.type, OWL.Class))
        self.properties: dict[URIRef, Property] = {}
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
            for p in ontology.subjects(RDF.type, kind):
                if isinstance(p, URIRef):  # curation keys name properties; a blank node has no name
                    self.properties[p] = Property(p, kind, ontology.value(p, RDFS.range))

    def _iri(self, name: str) -> URIRef:
        name = ALIASES.get(name, name)
        try:
            return expand(name) if ":" in name else OTKG[name]
        except KeyError:
            raise TermError(f"unknown prefix in {name!r}") from None

    def cls(self, name: str) -> URIRef:
        """The class IRI for a curation class name; unknown classes are an error."""
        iri = self._iri(name)
        if iri not in self.classes:
            raise TermError(f"class {name!r} is not declared in the ontology")
        return iri

    def prop(self, name: str) -> Property:
        """The property for a curation key; unknown properties are an error."""
        iri = self._iri(name)
        if iri not in self.properties:
            raise TermError(f"property {name!r} is not declared in the ontology")
        return self.properties[iri]


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """The hand-edited Turtle sources of the ontology, in name order."""
    return sorted(directory.glob("*.ttl"))


def load_ontology(directory: Path = ONTOLOGY_DIR) -> Graph:
    """Parse every hand-edited ontology file into one graph. The blank nodes of its OWL lists and
    class expressions get labels made from their content, so the same ontology always builds to
    the same bytes."""
    g = Graph()
    for path in ontology_files(directory):
        g.parse(path, format="turtle")
    canonical = Graph()
    canonical += to_canonical_graph(g)
    return canonical


def load_terms(directory: Path = ONTOLOGY_DIR) -> Terms:
    """Index the terms of the hand-edited ontology."""
    return Terms(load_ontology(directory))
