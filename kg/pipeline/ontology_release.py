"""The ontology's release artifacts, as the Ontology Development Kit makes them: the full ontology
(otkg.owl) and the base (otkg-base.owl: only the axioms about otkg's own terms), each written by the
build in RDF/XML (.owl, what OWL tools open) and Turtle (.owl.ttl).

The full ontology is the hand-edited TBox as stamped. ODK adds the reasoner's inferred class
hierarchy to it; here HermiT infers no subclass axiom that the TBox does not assert (it defines no
class by equivalence), which tests/ontology/test_release_artifacts.py checks.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from ..namespaces import BASE, ONTOLOGY_IRI, OTKG, PREFIXES, release_iri
from ..oxterms import triple_from_rdflib, written

FULL_FILE = "otkg.owl"
BASE_FILE = "otkg-base.owl"
# The base is a module of its own (ODK names it <ontology>-base.owl), with its own ontology IRI.
BASE_ONTOLOGY_IRI = BASE + BASE_FILE
# Copied from the full ontology's header onto the base's.
OBO = "http://purl.obolibrary.org/obo/"
SHARED_HEADER = (OWL.versionInfo, DCTERMS.license, DCTERMS.creator, OTKG.inputsDigest)
BASE_TITLE = "otkg base ontology"
BASE_DESCRIPTION = (
    "The axioms about the otkg ontology's own terms, with only the declarations of the "
    "terms it reuses from other vocabularies, for tools that merge several ontologies "
    "(an Ontology Development Kit base module). The full ontology is " + ONTOLOGY_IRI + "."
)


def is_own(term) -> bool:
    """Whether a term is one of otkg's own (in the otkg ontology namespace)."""
    return isinstance(term, URIRef) and str(term).startswith(str(OTKG))


def _closure(graph: Graph, node, out: Graph) -> None:
    """Copy the triples about node into out, and those about the blank nodes they lead to (class
    expressions and OWL lists belong to the axiom that names them)."""
    for s, p, o in graph.triples((node, None, None)):
        if (s, p, o) in out:
            continue
        out.add((s, p, o))
        if isinstance(o, BNode):
            _closure(graph, o, out)


def _root_axioms(graph: Graph) -> list[BNode]:
    """Blank nodes that stand for whole axioms (owl:AllDisjointClasses): no triple points at them."""
    pointed = {o for o in graph.objects() if isinstance(o, BNode)}
    return sorted({s for s in graph.subjects() if isinstance(s, BNode) and s not in pointed})


def base(full: Graph) -> Graph:
    """The base ontology: every axiom about an otkg term (and each blank-node axiom naming one), the
    rdf:type declarations of the other vocabularies' terms those axioms use, and a header of its own."""
    out = Graph()
    out.bind("obo", OBO)
    for s in sorted({s for s in full.subjects() if isinstance(s, URIRef) and is_own(s)}):
        _closure(full, s, out)
    for root in _root_axioms(full):
        axiom = Graph()
        _closure(full, root, axiom)
        if any(is_own(t) for triple in axiom for t in triple):
            out += axiom
    _header(full, out)
    used = {t for triple in out for t in triple[1:] if isinstance(t, URIRef) and not is_own(t)}
    for term in used:
        for declaration in full.triples((term, RDF.type, None)):
            out.add(declaration)
    return out


def _header(full: Graph, out: Graph) -> None:
    onto, base_iri = URIRef(ONTOLOGY_IRI), URIRef(BASE_ONTOLOGY_IRI)
    out.add((base_iri, RDF.type, OWL.Ontology))
    for p in SHARED_HEADER:
        for o in full.objects(onto, p):
            out.add((base_iri, p, o))
    version = full.value(onto, OWL.versionInfo)
    if version is not None:
        out.add((base_iri, OWL.versionIRI, URIRef(release_iri(str(version), BASE_FILE))))
    out.add((base_iri, DCTERMS.title, Literal(BASE_TITLE, lang="en")))
    out.add((base_iri, RDFS.label, Literal(BASE_TITLE, lang="en")))
    out.add((base_iri, DCTERMS.description, Literal(BASE_DESCRIPTION, lang="en")))


def rdfxml(graph: Graph) -> str:
    """RDF/XML of the graph, triples in sorted order so the same ontology gives the same bytes
    (rdflib's RDF/XML writer orders subjects by hash, which differs from run to run)."""
    triples = sorted((triple_from_rdflib(s, p, o) for s, p, o in graph), key=str)
    return written(
        ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes={k: str(v) for k, v in PREFIXES.items()})
    ).decode("utf-8")
