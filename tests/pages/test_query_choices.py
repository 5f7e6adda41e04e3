"""Query forms offer an iri parameter's choices by name: the entities of the class its header names."""

import pytest
from otkg.api.pages import catalogue
from otkg.kg.query.query_catalog import load_catalog

from .structure import read

ID = "https://w3id.org/otkg/id/"
PACKAGES = [
    (ID + "ot-indicative-package", "indicative occupational therapy care package"),
    (
        ID + "ot-package-cluster-2",
        "OT indicative care package for cluster 2 (non-psychotic, low severity with greater need)",
    ),
    (ID + "pbr-trust-standard-packages", "standardised care packages of a specialist mental health trust"),
]


def _select(html, path: str, name: str, **params):
    doc = read(html.get(path, params=params).text)
    return doc, next(e for e in doc.all("select") if e.attrs.get("name") == name)


def _hint(doc, name: str) -> str:
    return " ".join(next(e for e in doc.all("span") if e.attrs.get("id") == "hint-" + name).text.split())


def _options(doc, select) -> list[tuple[str, str]]:
    # the options following this select, up to the next control
    start = doc.elements.index(select)
    out = []
    for e in doc.elements[start + 1 :]:
        if e.tag != "option":
            break
        out.append((e.attrs["value"], e.text.strip()))
    return out


def test_package_contents_offers_exactly_the_care_packages_by_label(html):
    doc, select = _select(html, "/queries/package-contents", "package")
    assert select.attrs["id"] == "param-package" and "required" in select.attrs
    assert _options(doc, select) == [("", "(choose one)"), *PACKAGES]
    assert _hint(doc, "package") == "iri: one of the 3 entities of otkg:CarePackage, by name"


def test_cluster_forms_offer_the_21_clusters(html):
    doc, select = _select(html, "/queries/cluster-packages", "cluster")
    options = dict(_options(doc, select)[1:])
    assert len(options) == 21 and options[ID + "cluster-14"] == "Psychotic Crisis"


def test_a_given_value_stays_chosen_and_the_query_answers(html):
    doc, select = _select(html, "/queries/package-contents", "package", package=ID + "ot-package-cluster-2")
    chosen = [
        e.attrs["value"]
        for e in doc.elements[doc.elements.index(select) :]
        if e.tag == "option" and "selected" in e.attrs
    ]
    assert chosen == [ID + "ot-package-cluster-2"]
    assert doc.all("table")  # it ran
    doc, select = _select(html, "/queries/package-contents", "package", package=ID + "not-a-package")
    assert _options(doc, select)[-1] == (ID + "not-a-package", ID + "not-a-package")  # still what is sent


def test_a_class_with_no_entity_yet_leaves_a_typed_field(html):
    doc = read(html.get("/queries/package-vs-national").text)
    field = next(e for e in doc.all("input") if e.attrs.get("name") == "package")
    assert field.attrs["type"] == "url" and "list" not in field.attrs and not doc.all("datalist")
    assert _hint(doc, "package").startswith("iri; the graph holds no entity of otkg:LocalCarePackage yet")


def test_past_the_cap_a_typed_field_suggests_the_first_ones(html, monkeypatch):
    monkeypatch.setattr(catalogue, "MAX_CHOICES", 5)
    # a query string of its own: the response cache may hold the plain form from another test
    doc = read(html.get("/queries/cluster-packages", params={"limit": "5"}).text)
    field = next(e for e in doc.all("input") if e.attrs.get("name") == "cluster")
    assert field.attrs["list"] == "choices-cluster"
    suggested = [(o.attrs["value"], o.attrs["label"]) for o in doc.all("option")]
    assert len(suggested) == 5 and suggested[0] == (ID + "cluster-18", "Cognitive Impairment (Low Need)")
    assert (
        _hint(doc, "cluster")
        == "iri; suggested as you type: the first 5 entities of otkg:CareCluster by name, of more"
    )


def test_params_without_a_class_keep_a_plain_field(html):
    doc = read(html.get("/queries/evidence-for-entity").text)
    assert not doc.all("select") and not doc.all("datalist")


CATALOG = load_catalog()
CLASSED = sorted((q.name, p.name, p.class_iri) for q in CATALOG.values() for p in q.params if p.class_iri)


@pytest.mark.parametrize(("name", "param", "cls"), CLASSED, ids=[f"{n}-{p}" for n, p, _ in CLASSED])
def test_every_named_class_is_a_class_of_the_graph_and_holds_the_example(ask, name, param, cls):
    assert ask(f"SELECT ?c WHERE {{ <{cls}> a <http://www.w3.org/2002/07/owl#Class> }}")
    example = next(p.example for p in CATALOG[name].params if p.name == param)
    if cls.endswith("#LocalCarePackage"):  # the example is a Trust's upload, not in the national graph
        return
    assert ask(f"SELECT ?t WHERE {{ <{example}> a/rdfs:subClassOf* <{cls}> }}")


@pytest.mark.browser
def test_choosing_a_package_by_name_sends_its_iri_and_the_query_answers(tab, real_server):
    tab.goto(real_server + "/queries/package-contents")
    tab.get_by_label("package (required)").select_option(label=PACKAGES[1][1])
    assert tab.get_by_label("package (required)").input_value() == ID + "ot-package-cluster-2"
    tab.get_by_role("button", name="Run query").click()
    tab.wait_for_url(lambda url: "package=https%3A%2F%2Fw3id.org%2Fotkg%2Fid%2Fot-package-cluster-2" in url)
    table = tab.locator("main table")
    assert (
        table.locator("tbody tr").count() == 35
    )  # the package's entries, as `otkg query package-contents` gives
    assert tab.get_by_label("package (required)").input_value() == ID + "ot-package-cluster-2"  # still chosen
