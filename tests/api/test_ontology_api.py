"""The ontology IRI, its version IRIs and artifact files answer, by content negotiation; entity
answers carry Link headers to their canonical IRI and their other formats."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

ONTO = URIRef("https://w3id.org/otkg/ontology")
VERSION_IRI = "https://w3id.org/otkg/releases/0.1.0/otkg.owl"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _graph(r, fmt: str) -> Graph:
    return Graph().parse(data=r.content, format=fmt)


@pytest.mark.parametrize(
    "accept,fmt,media,parse_as",
    [
        ("text/turtle", None, "text/turtle", "turtle"),
        ("application/rdf+xml", None, "application/rdf+xml", "xml"),
        ("application/ld+json", None, "application/ld+json", "json-ld"),
        ("application/n-triples", None, "application/n-triples", "nt"),
        (None, "rdfxml", "application/rdf+xml", "xml"),
        (None, "ntriples", "application/n-triples", "nt"),
        ("*/*", None, "application/rdf+xml", "xml"),  # as OBO PURLs: OWL tools read RDF/XML
        (None, None, "application/rdf+xml", "xml"),
    ],
    ids=["turtle", "rdfxml", "jsonld", "ntriples", "format-rdfxml", "format-ntriples", "any", "none"],
)
def test_the_ontology_iri_answers_the_full_ontology_in_each_rdf_format(
    client, build_dir, accept, fmt, media, parse_as
):
    r = client.get("/ontology", params={"format": fmt} if fmt else {}, headers={"accept": accept or ""})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    g = _graph(r, parse_as)
    assert isomorphic(g, Graph().parse(build_dir / "otkg.owl.ttl", format="turtle"))
    assert g.value(ONTO, OWL.versionIRI) == URIRef(VERSION_IRI)


def test_the_ontology_iri_answers_browsers_with_the_documentation(client):
    r = client.get("/ontology", headers={"accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<section class="term" id="CarePackage">' in r.text


def test_an_unknown_format_is_406_naming_it(client):
    r = client.get("/ontology", params={"format": "yaml"})
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"
    assert "format 'yaml' is not one of" in r.json()["detail"]


@pytest.mark.parametrize(
    "artifact,iri", [("otkg.owl", str(ONTO)), ("otkg-base.owl", "https://w3id.org/otkg/otkg-base.owl")]
)
def test_a_version_iri_answers_that_release_as_rdfxml_by_default(client, build_dir, artifact, iri):
    r = client.get(f"/releases/0.1.0/{artifact}", headers={"accept": "*/*"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/rdf+xml"
    assert r.content == (build_dir / artifact).read_bytes()
    g = _graph(r, "xml")
    assert g.value(URIRef(iri), OWL.versionIRI) == URIRef(f"https://w3id.org/otkg/releases/0.1.0/{artifact}")
    ttl = client.get(f"/releases/0.1.0/{artifact}", headers={"accept": "text/turtle"})
    assert ttl.content == (build_dir / f"{artifact}.ttl").read_bytes()


def test_another_version_is_a_404_naming_it_and_the_served_one(client):
    r = client.get("/releases/0.0.9/otkg.owl")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "version": "0.0.9",
        "served": "0.1.0",
        "detail": "release '0.0.9' of the ontology is not served here; this server serves release '0.1.0' "
        "(https://w3id.org/otkg/releases/0.1.0/otkg.owl)",
    }


def test_an_unknown_artifact_of_a_release_is_a_404_naming_it(client):
    r = client.get("/releases/0.1.0/otkg-full.obo")
    assert r.status_code == 404
    assert (
        r.json()["detail"]
        == "a release has no ontology artifact 'otkg-full.obo': it has otkg.owl and otkg-base.owl"
    )


@pytest.mark.parametrize(
    "name,media",
    [
        ("otkg.owl", "application/rdf+xml"),
        ("otkg.owl.ttl", "text/turtle"),
        ("otkg-base.owl", "application/rdf+xml"),
        ("otkg-base.owl.ttl", "text/turtle"),
    ],
)
def test_the_artifact_files_download_as_the_build_wrote_them(client, build_dir, name, media):
    r = client.get("/" + name, headers={"accept": BROWSER})  # a download whatever the client prefers
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert r.content == (build_dir / name).read_bytes()


def test_the_ontology_answer_links_its_canonical_iri_and_formats(client):
    link = client.get("/ontology", headers={"accept": "text/turtle"}).headers["link"]
    assert link.split(", ") == [
        '<https://w3id.org/otkg/ontology>; rel="canonical"',
        '</ontology?format=rdfxml>; rel="alternate"; type="application/rdf+xml"',  # the default, first
        '</ontology?format=turtle>; rel="alternate"; type="text/turtle"',
        '</ontology?format=ntriples>; rel="alternate"; type="application/n-triples"',
        '</ontology?format=jsonld>; rel="alternate"; type="application/ld+json"',
        '</ontology?format=nquads>; rel="alternate"; type="application/n-quads"',
        '</ontology?format=trig>; rel="alternate"; type="application/trig"',
        '</ontology?format=turtle>; rel="describedby"; type="text/turtle"',
    ]


@pytest.mark.parametrize("accept", ["application/json", "text/turtle", BROWSER])
def test_entity_answers_link_canonical_iri_alternates_and_description(client, accept):
    r = client.get("/id/cluster-14", headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["link"].split(", ") == [
        '<https://w3id.org/otkg/id/cluster-14>; rel="canonical"',
        '</id/cluster-14?format=json>; rel="alternate"; type="application/json"',
        '</id/cluster-14?format=turtle>; rel="alternate"; type="text/turtle"',
        '</id/cluster-14?format=ntriples>; rel="alternate"; type="application/n-triples"',
        '</id/cluster-14?format=jsonld>; rel="alternate"; type="application/ld+json"',
        '</id/cluster-14?format=rdfxml>; rel="alternate"; type="application/rdf+xml"',
        '</id/cluster-14?format=nquads>; rel="alternate"; type="application/n-quads"',
        '</id/cluster-14?format=trig>; rel="alternate"; type="application/trig"',
        '</id/cluster-14?format=turtle>; rel="describedby"; type="text/turtle"',
    ]


def test_each_alternate_an_entity_links_answers_in_its_type(client):
    link = client.get("/id/cluster-14").headers["link"]
    alternates = [part.split("; ") for part in link.split(", ") if 'rel="alternate"' in part]
    for target, _, kind in alternates:
        url, media = target.strip("<>"), kind.removeprefix("type=").strip('"')
        r = client.get(url, headers={"accept": "*/*"})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media, url


def test_an_unknown_entity_has_no_link_header(client):
    r = client.get("/id/nope")
    assert r.status_code == 404 and "link" not in r.headers


def test_the_home_links_the_ontology(client):
    assert client.get("/").json()["links"]["ontology"] == "/ontology"


def test_base_answer_holds_only_declarations_of_reused_terms(client):
    g = _graph(client.get("/releases/0.1.0/otkg-base.owl", params={"format": "turtle"}), "turtle")
    prov_entity = URIRef("http://www.w3.org/ns/prov#Entity")
    assert set(g.predicate_objects(prov_entity)) == {(RDF.type, OWL.Class)}
    assert g.value(URIRef("https://w3id.org/otkg/otkg-base.owl"), OWL.versionInfo) == Literal("0.1.0")
    as_jsonld = _graph(client.get("/releases/0.1.0/otkg-base.owl", params={"format": "jsonld"}), "json-ld")
    assert isomorphic(as_jsonld, g)


def test_json_ld_is_compacted_with_the_project_prefixes_unless_expanded_is_asked(client):
    compacted = client.get("/ontology", headers={"accept": "application/ld+json"})
    assert (
        compacted.headers["content-type"]
        == 'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"'
    )
    assert compacted.json()["@context"]["otkg"] == "https://w3id.org/otkg/ontology#"
    expanded = client.get("/ontology", params={"format": "jsonld-expanded"})
    assert (
        expanded.headers["content-type"]
        == 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
    )
    assert isomorphic(_graph(expanded, "json-ld"), _graph(compacted, "json-ld"))
