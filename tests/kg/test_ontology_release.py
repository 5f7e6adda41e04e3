"""The ontology's release artifacts: full and base, in Turtle and RDF/XML, with their own headers."""

import owlready2
import pytest
from otkg.kg.namespaces import OTKG
from otkg.kg.pipeline.ontology_release import is_own
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

ONTO = URIRef("https://w3id.org/otkg/ontology")
BASE_ONTO = URIRef("https://w3id.org/otkg/otkg-base.owl")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
# Where a class or property is named in an axiom, OWL 2 DL wants it declared.
TERM_POSITIONS = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.disjointWith,
    RDF.first,
)
BUILT_IN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)  # need no declaration


@pytest.fixture(scope="module")
def full(build_dir) -> Graph:
    return Graph().parse(build_dir / "otkg.owl.ttl", format="turtle")


@pytest.fixture(scope="module")
def base(build_dir) -> Graph:
    return Graph().parse(build_dir / "otkg-base.owl.ttl", format="turtle")


def test_full_header_has_version_iri_version_licence_creator_title_and_description(full):
    assert full.value(ONTO, OWL.versionIRI) == URIRef("https://w3id.org/otkg/releases/0.1.0/otkg.owl")
    assert full.value(ONTO, OWL.versionInfo) == Literal("0.1.0")
    assert full.value(ONTO, DCTERMS.license) == CC_BY
    assert list(full.objects(ONTO, DCTERMS.creator)) == [Literal("otkg developers")]
    assert full.value(ONTO, DCTERMS.title) == Literal("otkg ontology", lang="en")
    assert str(full.value(ONTO, DCTERMS.description)).startswith("The terms of the occupational therapy")


def test_base_header_is_its_own_with_a_version_iri_in_the_same_release_scheme(base, full):
    assert set(base.subjects(RDF.type, OWL.Ontology)) == {BASE_ONTO}
    assert base.value(BASE_ONTO, OWL.versionIRI) == URIRef(
        "https://w3id.org/otkg/releases/0.1.0/otkg-base.owl"
    )
    assert base.value(BASE_ONTO, OWL.versionInfo) == Literal("0.1.0")
    assert base.value(BASE_ONTO, DCTERMS.license) == CC_BY
    assert list(base.objects(BASE_ONTO, DCTERMS.creator)) == [Literal("otkg developers")]
    assert base.value(BASE_ONTO, DCTERMS.title) == Literal("otkg base ontology", lang="en")
    assert base.value(BASE_ONTO, OTKG.inputsDigest) == full.value(ONTO, OTKG.inputsDigest)
    assert (ONTO, None, None) not in base


def test_base_keeps_every_axiom_about_every_otkg_term(base, full):
    own = {s for s in full.subjects() if is_own(s)}
    assert own == {s for s in base.subjects() if is_own(s)}
    for term in own:
        assert isomorphic(base.cbd(term), full.cbd(term)), term  # with the class expressions it names
    assert len(list(base.subjects(RDF.type, OWL.AllDisjointClasses))) == 2


def test_base_says_nothing_about_reused_terms_but_their_declarations(base):
    others = {s for s in base.subjects() if isinstance(s, URIRef) and not is_own(s) and s != BASE_ONTO}
    assert others  # prov:Entity, bibo:Document, skos:definition ...
    for term in others:
        assert {p for p, _ in base.predicate_objects(term)} == {RDF.type}, term
    assert set(base.objects(PROV.Entity, None)) == {OWL.Class}
    assert (PROV.Entity, RDFS.label, None) not in base and (SKOS.definition, RDFS.label, None) not in base


def test_base_leaves_out_reused_terms_no_otkg_axiom_uses(base, full):
    unused = URIRef("http://www.w3.org/ns/oa#TextQuoteSelector")
    assert (unused, RDF.type, OWL.Class) in full
    assert (unused, None, None) not in base


def test_base_declares_every_class_and_property_its_axioms_name(base):
    named = {o for p in TERM_POSITIONS for o in base.objects(None, p) if isinstance(o, URIRef)}
    named |= set(base.predicates())
    undeclared = {t for t in named if (t, RDF.type, None) not in base}
    assert {t for t in undeclared if not str(t).startswith(BUILT_IN)} == set()
    assert {
        PROV.Entity,
        URIRef("http://purl.org/ontology/bibo/Document"),
        SKOS.definition,
    } <= named - undeclared


@pytest.mark.parametrize("stem", ["otkg", "otkg-base"])
def test_rdfxml_and_turtle_hold_the_same_graph(build_dir, stem):
    ttl = Graph().parse(build_dir / f"{stem}.owl.ttl", format="turtle")
    xml = Graph().parse(build_dir / f"{stem}.owl", format="xml")
    assert len(xml) == len(ttl) and isomorphic(xml, ttl)


@pytest.mark.parametrize("stem,iri", [("otkg", ONTO), ("otkg-base", BASE_ONTO)])
def test_an_owl_tool_opens_the_rdfxml_with_every_otkg_class(build_dir, full, stem, iri):
    world = owlready2.World()
    onto = world.get_ontology((build_dir / f"{stem}.owl").as_uri()).load()
    assert onto.base_iri == str(iri) + "#"
    own = {c.iri for c in world.classes() if c.iri.startswith(str(OTKG))}
    assert own == {str(c) for c in full.subjects(RDF.type, OWL.Class) if is_own(c)}


@pytest.mark.slow
def test_the_reasoner_infers_no_class_hierarchy_the_tbox_does_not_assert(build_dir):
    """Why the full ontology is the TBox as edited: ODK adds inferred superclasses, and HermiT finds none."""
    world = owlready2.World()
    world.get_ontology((build_dir / "otkg.owl").as_uri()).load()
    before = {c.iri: set(c.is_a) for c in world.classes()}
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    after = {c.iri: set(c.is_a) for c in world.classes()}
    assert len(after) > 80 and after == before
