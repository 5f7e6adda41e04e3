"""HermiT (through owlready2, on Java) finds the ontology with the graph's entities consistent."""
import owlready2
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.reason import check_consistency, reasoning_view


@pytest.mark.slow
def test_ontology_with_all_entities_is_consistent(assembled):
    check_consistency(reasoning_view(assembled.ontology, assembled.assembler.quads))


@pytest.mark.slow
def test_reasoner_reports_an_inconsistent_graph(assembled):
    g = reasoning_view(assembled.ontology, set())
    a, b = URIRef("urn:x:A"), URIRef("urn:x:B")
    g.add((a, RDF.type, OWL.Class)); g.add((b, RDF.type, OWL.Class))
    g.add((a, OWL.disjointWith, b))
    g.add((URIRef("urn:x:i"), RDF.type, a)); g.add((URIRef("urn:x:i"), RDF.type, b))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        check_consistency(g)
