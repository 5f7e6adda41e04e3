"""Comparison queries over a Trust's package imported from its spreadsheet (the synthetic fixture)
beside the national cluster 2 package: exact answers to what commissioners ask."""

import pyoxigraph as ox
import pytest
from otkg.kg.pipeline.sheet_import import import_sheet
from otkg.kg.query import query_service
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.store.seam import EmbeddedStore
from otkg.kg.terms import load_ontology

from tests.sheet_files import FIXTURE_XLSX, TRUST, XLSX

CATALOG = load_catalog()
ID = "https://w3id.org/otkg/id/"
LOCAL = ID + "local/synthetic-trust/package"


@pytest.fixture(scope="module")
def run(assembled):
    store = assembled.store()
    imported = import_sheet(
        FIXTURE_XLSX.read_bytes(),
        XLSX,
        FIXTURE_XLSX.name,
        TRUST,
        "2",
        EmbeddedStore(store),
        load_ontology(),
        slug="synthetic-trust",
    )
    graph = ox.NamedNode(imported.graph)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in imported.triples)
    assert imported.package == LOCAL
    es = EmbeddedStore(store)

    def _run(name, **params):
        page = query_service.run_select(es, CATALOG[name], params, query_service.MAX_LIMIT, 0)
        return [{k: v.value for k, v in row.items()} for row in page.rows]

    return _run


def test_interventions_measures_and_challenges_against_the_national_package(run):
    rows = run("package-vs-national", package=LOCAL)
    got = [
        (r["aspect"], r["status"], r["item"].removeprefix(ID), r.get("localGrade"), r.get("nationalGrade"))
        for r in rows
    ]
    assert got == [
        ("challenge", "dropped", "challenge-mobility", None, "minor"),
        ("challenge", "dropped", "challenge-organisation", None, "minor"),
        ("challenge", "regraded", "challenge-communication", "major", "minor"),
        ("challenge", "regraded", "challenge-routines", "minor", "moderate"),
        ("challenge", "shared", "challenge-environment", "minor", "minor"),
        ("challenge", "shared", "challenge-motivation", "moderate", "moderate"),
        ("intervention", "dropped", "intervention-02", None, None),
        ("intervention", "dropped", "intervention-24", None, None),
        ("intervention", "shared", "intervention-01", None, None),
        ("intervention", "shared", "intervention-07", None, None),
        ("intervention", "shared", "intervention-23", None, None),
        ("measure", "added", "mohost", None, None),
        ("measure", "dropped", "occupational-questionnaire", None, None),
        ("measure", "dropped", "osa", None, None),
        ("measure", "dropped", "weis", None, None),
        ("measure", "shared", "ocairs", None, None),
    ]


def test_routines_work_is_no_addition_when_the_national_sheet_has_it(run):
    # issue 21, item 1: the cluster 2 sheet's 'Adjust demands to fit service user's abilities,
    # interest, and a satisfying routine' is read as intervention 7, so a Trust listing routines work
    # shares it with the national package instead of adding it
    rows = run("package-vs-national", package=LOCAL)
    sevens = [(r["aspect"], r["status"]) for r in rows if r["item"] == ID + "intervention-07"]
    assert sevens == [("intervention", "shared")]
    assert [r["item"].removeprefix(ID) for r in rows if r["status"] == "added"] == ["mohost"]


def test_skill_level_and_contact_outside_the_national_range(run):
    rows = {r["aspect"]: r for r in run("package-ranges-vs-national", package=LOCAL)}
    assert sorted(rows) == ["contact time", "duration", "skill level"]
    skill = rows["skill level"]
    assert (
        skill["localLow"],
        skill["localHigh"],
        skill["nationalLow"],
        skill["nationalHigh"],
        skill["verdict"],
    ) == ("4", "6", "5", "6", "below")
    months = rows["duration"]
    assert (months["localLow"], months["localHigh"], months["localAverage"]) == ("2", "9", "4")
    assert (months["nationalLow"], months["nationalHigh"], months["nationalAverage"], months["verdict"]) == (
        "1",
        "6",
        "3",
        "above",
    )
    hours = rows["contact time"]
    assert (hours["localAverage"], hours["nationalAverage"], hours["verdict"]) == (
        "24",
        "20",
        "no national range",
    )


def test_consensus_and_clusters_by_intervention_count_the_trust(run):
    rows = run("cluster-consensus-interventions", cluster=ID + "cluster-2")
    assert [(r["number"], r["localPackages"], r["ofLocalPackages"], r["inNational"]) for r in rows] == [
        ("1", "1", "1", "true"),
        ("7", "1", "1", "true"),
        ("23", "1", "1", "true"),
    ]
    assert [
        (r["code"], r["nationalPackages"], r["localPackages"])
        for r in run("clusters-by-intervention", intervention=ID + "intervention-01")
    ] == [("2", "1", "1")]
    assert [(r["kind"], r["entries"]) for r in run("cluster-packages", cluster=ID + "cluster-2")] == [
        ("national", "35"),
        ("local", "21"),
    ]
