"""OWL tools load the ontology by its IRI over real HTTP: with no Accept (owlready2, urllib) or with
*/* the ontology IRI answers RDF/XML, as OBO PURLs do; rdflib's own Accept gets a form it reads."""

import httpx
import owlready2
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

pytestmark = pytest.mark.slow  # a real uvicorn process

OTKG = "https://w3id.org/otkg/ontology#"


def test_owlready2_loads_the_ontology_by_its_iri(live_server):
    world = owlready2.World()  # its own quad store, not owlready2's global default world
    onto = world.get_ontology(f"{live_server}/ontology").load()
    assert onto.base_iri == OTKG  # the IRI the file declares, not the URL it came from
    package = world[OTKG + "CarePackage"]
    assert package is not None and isinstance(package, owlready2.ThingClass)
    assert world[OTKG + "IndicativeCarePackage"] in set(package.subclasses())


def test_rdflib_parses_the_ontology_iri(live_server, build_dir):
    g = Graph().parse(f"{live_server}/ontology")
    assert (URIRef(OTKG + "CarePackage"), RDF.type, OWL.Class) in g
    assert len(g) == len(Graph().parse(build_dir / "otkg.owl.ttl", format="turtle"))


@pytest.mark.parametrize("headers", [{}, {"accept": "*/*"}], ids=["no-accept", "any"])
def test_no_preference_gets_the_build_s_rdfxml_file(live_server, build_dir, headers):
    with httpx.Client(headers={"user-agent": "owl-tool"}) as http:
        http.headers.pop("accept", None)  # httpx sends */* unless told otherwise: test both
        r = http.get(f"{live_server}/ontology", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/rdf+xml"
    assert r.content == (build_dir / "otkg.owl").read_bytes()
