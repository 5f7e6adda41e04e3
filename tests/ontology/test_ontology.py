"""The ontology's own rules: every term labelled, defined and its definition's source named; IRI and
licence declared; every otkg object property with a domain and a range, inverses mirroring them; no
real entity typed with two disjoint kinds."""

from itertools import combinations

from otkg.kg.terms import load_ontology
from rdflib import BNode, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ONTO = load_ontology()
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
OTKG_NS = "https://w3id.org/otkg/ontology#"


def _terms(*kinds):
    """Named terms of the given kinds (class expressions written as blank nodes are not terms)."""
    return sorted({t for kind in kinds for t in ONTO.subjects(RDF.type, kind) if isinstance(t, URIRef)})


def _otkg(*kinds):
    return [t for t in _terms(*kinds) if str(t).startswith(OTKG_NS)]


def test_every_class_and_property_has_a_label_and_a_definition():
    missing = [
        str(t)
        for t in _terms(*KINDS) + _otkg(OWL.AnnotationProperty)
        if ONTO.value(t, RDFS.label) is None or ONTO.value(t, SKOS.definition) is None
    ]
    assert missing == []


def test_otkg_terms_have_one_english_label():
    for t in _otkg(*KINDS, OWL.AnnotationProperty):
        labels = list(ONTO.objects(t, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "en", t


def test_ontology_header_has_iri_and_licence():
    onto = URIRef("https://w3id.org/otkg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ONTO
    assert ONTO.value(onto, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_every_otkg_object_property_has_a_domain_and_a_range():
    missing = [
        (str(p), end)
        for p in _otkg(OWL.ObjectProperty)
        for end in (RDFS.domain, RDFS.range)
        if ONTO.value(p, end) is None
    ]
    assert missing == []


def _members(expression) -> set:
    """The named classes a disjointness member stands for: itself, or the classes of its union."""
    union = ONTO.value(expression, OWL.unionOf) if isinstance(expression, BNode) else None
    return set(Collection(ONTO, union)) if union is not None else {expression}


def disjoint_pairs() -> set[frozenset]:
    """Every pair of named classes the ontology declares disjoint (owl:AllDisjointClasses over named
    classes or unions of them, and owl:disjointWith)."""
    groups = [
        [_members(m) for m in Collection(ONTO, ONTO.value(axiom, OWL.members))]
        for axiom in ONTO.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    groups += [[_members(a), _members(b)] for a, b in ONTO.subject_objects(OWL.disjointWith)]
    return {
        frozenset((x, y))
        for group in groups
        for left, right in combinations(group, 2)
        for x in left
        for y in right
    }


def test_the_top_kinds_are_declared_disjoint():
    pairs = disjoint_pairs()
    for a, b in [
        ("CareCluster", "Intervention"),
        ("CareCluster", "CarePackage"),
        ("PackageElement", "CarePackage"),
        ("Intervention", "OutcomeMeasure"),
        ("Outcome", "KeyPerformanceIndicator"),
        ("CareCluster", "Claim"),
        ("Assessment", "Outcome"),
    ]:
        assert frozenset((URIRef(OTKG_NS + a), URIRef(OTKG_NS + b))) in pairs, (a, b)
    document = URIRef("http://purl.org/ontology/bibo/Document")
    assert frozenset((URIRef(OTKG_NS + "CareCluster"), document)) in pairs


def test_no_real_entity_is_typed_with_two_disjoint_classes(assembled):
    """The quick form of the reasoner's check, over asserted types and their superclasses only, so
    that a failure names the entity and the two classes."""

    def supers(c, seen):
        if c not in seen:
            seen.add(c)
            for s in ONTO.objects(c, RDFS.subClassOf):
                if isinstance(s, URIRef):
                    supers(s, seen)
        return seen

    types: dict = {}
    for s, p, o, _ in assembled.assembler.quads:
        if p == RDF.type:
            supers(o, types.setdefault(s, set()))
    pairs = disjoint_pairs()
    clashes = sorted(
        (str(node), sorted(map(str, pair)))
        for node, ts in types.items()
        for pair in map(frozenset, combinations(sorted(ts), 2))
        if pair in pairs
    )
    assert clashes == []


DEFINITION_SOURCE = URIRef("http://purl.obolibrary.org/obo/IAO_0000119")


def test_every_otkg_term_names_where_its_definition_comes_from():
    assert (DEFINITION_SOURCE, RDF.type, OWL.AnnotationProperty) in ONTO
    missing = [
        str(t) for t in _otkg(*KINDS, OWL.AnnotationProperty) if ONTO.value(t, DEFINITION_SOURCE) is None
    ]
    assert missing == []


def test_inverse_properties_mirror_domain_and_range():
    pairs = list(ONTO.subject_objects(OWL.inverseOf))
    names = {str(p).split("#")[1] for p, _ in pairs}
    assert names >= {"elementOf", "componentOf", "hasPackage", "supportedBy"}
    for inverse, forward in pairs:
        for a, b in ((RDFS.domain, RDFS.range), (RDFS.range, RDFS.domain)):
            mine, theirs = ONTO.value(inverse, a), ONTO.value(forward, b)
            if isinstance(mine, BNode):  # a union: the same classes
                assert _members(mine) == _members(theirs), (inverse, a)
            else:
                assert mine == theirs, (inverse, a)
