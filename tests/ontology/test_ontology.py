"""The ontology's own rules: every term labelled and defined; IRI and licence declared."""
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, DCTERMS

from kg.terms import load_ontology

ONTO = load_ontology()
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def test_every_class_and_property_has_a_label_and_a_definition():
    missing = [str(t) for kind in KINDS for t in ONTO.subjects(RDF.type, kind)
               if ONTO.value(t, RDFS.label) is None or ONTO.value(t, SKOS.definition) is None]
    assert missing == []


def test_otkg_terms_have_one_english_label():
    for kind in KINDS:
        for t in ONTO.subjects(RDF.type, kind):
            if str(t).startswith("https://w3id.org/otkg/ontology#"):
                labels = list(ONTO.objects(t, RDFS.label))
                assert len(labels) == 1 and labels[0].language == "en", t


def test_ontology_header_has_iri_and_licence():
    onto = URIRef("https://w3id.org/otkg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ONTO
    assert ONTO.value(onto, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
