"""The ontology documentation at /ontology: an entry for every term, at the anchor its IRI names,
under the pages' strict CSP; and in Chromium, a term's IRI lands on its entry."""

import pytest
from otkg.api.pages.render import CSP
from otkg.kg.namespaces import OTKG
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from .structure import problems, read

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def tbox(build_dir) -> Graph:
    return Graph().parse(build_dir / "otkg.owl.ttl", format="turtle")


@pytest.fixture(scope="module")
def docs(html):
    return html.get("/ontology")


def _own(tbox: Graph, kind) -> set[str]:
    return {
        str(s)[len(str(OTKG)) :]
        for s in tbox.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(OTKG))
    }


def test_the_docs_are_an_accessible_page_under_the_strict_csp(docs):
    assert docs.status_code == 200 and docs.headers["content-type"] == "text/html; charset=utf-8"
    assert docs.headers["content-security-policy"] == CSP
    assert problems(docs.text) == []


def test_every_otkg_term_has_an_entry_at_its_local_name(docs, tbox):
    sections = {e.attrs["id"] for e in read(docs.text).all("section") if "term" in e.attrs.get("class", "")}
    for kind in KINDS:
        missing = _own(tbox, kind) - sections
        assert missing == set(), kind
    assert {"CarePackage", "Claim", "supports", "inputsDigest"} <= sections


def test_ids_on_the_page_are_unique(docs):
    ids = [e.attrs["id"] for e in read(docs.text).elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))


def test_an_entry_shows_label_definition_source_hierarchy_and_links(docs):
    entry = docs.text.split('<section class="term" id="CarePackage">')[1].split("</section>")[0]
    assert '<h3>care package <code class="curie">otkg:CarePackage</code></h3>' in entry
    assert "<dd>A prov:Entity that sets out the assessments" in entry
    assert '<dt>Definition source</dt><dd><a href="/id/otkg-curators">' in entry
    assert '<a href="#LocalCarePackage">local care package</a>' in entry  # a subclass
    assert '<a href="#prov-Entity">entity</a>' in entry  # its superclass, a reused term


def test_a_union_domain_reads_as_alternatives(docs):
    entry = docs.text.split('<section class="term" id="supports">')[1].split("</section>")[0]
    assert (
        '<dt>Domain</dt><dd><a href="#Claim">claim</a> or <a href="#CuratedLink">curated link</a></dd>'
        in entry
    )


def test_the_home_page_links_the_docs(html):
    links = {a.attrs.get("href") for a in read(html.get("/").text).all("a")}
    assert "/ontology" in links


def test_a_browser_asking_for_a_version_iri_gets_the_docs_too(html):
    r = html.get("/releases/0.1.0/otkg-base.owl")
    assert r.status_code == 200 and '<section class="term" id="CarePackage">' in r.text


@pytest.mark.browser
def test_chromium_renders_the_docs_and_a_term_iri_lands_on_its_entry(tab, real_server, tbox):
    tab.goto(real_server + "/ontology#CarePackage")
    heading = tab.locator("#CarePackage h3")
    assert heading.inner_text().startswith("care package")
    assert heading.evaluate("h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.top < 100; }")
    # the stylesheet applied (the CSP let it in): an entry's facts sit in a two-column grid
    assert tab.locator("#CarePackage dl").evaluate("d => getComputedStyle(d).display") == "grid"
    classes = tab.locator("section[aria-labelledby=classes] ul.term-index li")
    assert classes.count() == len(_own(tbox, OWL.Class))
    tab.locator("section[aria-labelledby=classes] ul.term-index").get_by_role(
        "link", name="claim", exact=True
    ).click()
    tab.wait_for_url("**/ontology#Claim")
    assert tab.locator("#Claim h3").is_visible()


def test_entity_pages_link_their_classes_to_the_docs(html):
    links = {a.attrs.get("href") for a in read(html.get("/id/intervention-04").text).all("a")}
    assert "/ontology#CompositeIntervention" in links  # its class
