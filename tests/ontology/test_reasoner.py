"""HermiT (through owlready2, on Java) finds the ontology with the graph's entities consistent, and
rejects nodes that the ontology's disjointness, domains and ranges rule out."""

import owlready2
import pytest
from otkg.kg.namespaces import ID, OTKG
from otkg.kg.pipeline.reason import PELLET_JAVA_MAJOR, check_consistency, pellet_java, reasoning_view
from rdflib import URIRef
from rdflib.namespace import RDF

X = URIRef("urn:x:node")
Y = URIRef("urn:x:other")

# Each case is a node (and at most one neighbour) that no real entity can be.
CONTRADICTIONS = {
    "cluster-intervention-and-policy-source": [
        (X, RDF.type, OTKG.CareCluster),
        (X, RDF.type, OTKG.Intervention),
        (X, RDF.type, OTKG.PolicySource),
    ],
    "package-element-given-a-cluster-only-property": [
        (X, RDF.type, OTKG.PackageElement),
        (X, OTKG.inSuperClass, ID["superclass-organic"]),
    ],
    "package-whose-element-is-an-intervention": [(X, OTKG.hasElement, Y), (Y, RDF.type, OTKG.Intervention)],
    "claim-that-is-a-care-package": [(X, RDF.type, OTKG.Claim), (X, OTKG.forCluster, Y)],
    "element-of-a-care-cluster": [(X, OTKG.elementOf, Y), (Y, RDF.type, OTKG.CareCluster)],
}


@pytest.mark.slow
def test_ontology_with_all_entities_is_consistent(assembled):
    check_consistency(reasoning_view(assembled.ontology, assembled.assembler.quads))


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CONTRADICTIONS))
def test_reasoner_rejects_a_contradictory_node(assembled, case):
    g = reasoning_view(assembled.ontology, set())
    for triple in CONTRADICTIONS[case]:
        g.add(triple)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        check_consistency(g)


needs_pellet_java = pytest.mark.skipif(
    pellet_java() is None, reason=f"owlready2's Pellet needs Java {PELLET_JAVA_MAJOR}+ (OTKG_PELLET_JAVA)"
)


@pytest.mark.slow
@needs_pellet_java
def test_pellet_also_finds_the_real_graph_consistent(assembled):
    check_consistency(reasoning_view(assembled.ontology, assembled.assembler.quads), reasoner="pellet")


@pytest.mark.slow
@needs_pellet_java
def test_pellet_also_rejects_a_cluster_that_is_an_intervention_and_a_policy_source(assembled):
    g = reasoning_view(assembled.ontology, set())
    for triple in CONTRADICTIONS["cluster-intervention-and-policy-source"]:
        g.add(triple)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        check_consistency(g, reasoner="pellet")
