"""The cross-Trust questions (issue 21, items 3 and 4) over the real graph plus five synthetic
Trusts' sheets (tests/trust_sheets.py: four for cluster 2 beside its national package, one for
cluster 14), each checked by the write path: exact answers."""

import pytest
from otkg.kg.query import query_service
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.store.seam import EmbeddedStore

from tests.trust_sheets import add_to, package

CATALOG = load_catalog()
ID = "https://w3id.org/otkg/id/"
C2, C14 = ID + "cluster-2", ID + "cluster-14"


@pytest.fixture(scope="module")
def run(assembled):
    store = assembled.store()
    assert len(add_to(store)) == 5
    es = EmbeddedStore(store)

    def _run(name, **params):
        page = query_service.run_select(es, CATALOG[name], params, query_service.MAX_LIMIT, 0)
        assert not page.has_next
        return [{k: v.value for k, v in row.items()} for row in page.rows]

    return _run


def test_coverage_counts_the_trusts_that_include_each_intervention_and_measure(run):
    rows = run("cluster-item-coverage", cluster=C2)
    assert [(r["item"].removeprefix(ID), r["trusts"], r["ofTrusts"], r["inNational"]) for r in rows] == [
        ("intervention-01", "4", "4", "true"),
        ("intervention-23", "3", "4", "true"),
        ("intervention-07", "2", "4", "true"),
        ("intervention-24", "2", "4", "true"),
        ("intervention-02", "1", "4", "true"),
        ("ocairs", "3", "4", "true"),
        ("mohost", "2", "4", "false"),
        ("osa", "1", "4", "true"),
        ("weis", "1", "4", "true"),
        ("occupational-questionnaire", "0", "4", "true"),
    ]
    assert [
        (r["item"].removeprefix(ID), r["trusts"], r["ofTrusts"], r["inNational"])
        for r in run("cluster-item-coverage", cluster=C14)
    ] == [
        ("intervention-03", "1", "1", "false"),
        ("intervention-16", "1", "1", "false"),
        ("mohost", "1", "1", "false"),
    ]


def test_severity_spread_of_each_challenge_beside_the_national_grade(run):
    rows = run("cluster-challenge-severity", cluster=C2)
    spread = {}
    for r in rows:
        spread.setdefault(
            (r["challenge"].removeprefix(ID + "challenge-"), r.get("nationalGrade")), []
        ).append((r["severityLabel"], int(r["trusts"])))
    assert spread == {
        ("communication", "minor"): [("major", 1), ("moderate", 0), ("minor", 1)],
        ("environment", "minor"): [("major", 0), ("moderate", 0), ("minor", 2)],
        ("mobility", "minor"): [("major", 0), ("moderate", 0), ("minor", 0)],
        ("motivation", "moderate"): [("major", 1), ("moderate", 3), ("minor", 0)],
        ("organisation", "minor"): [("major", 0), ("moderate", 0), ("minor", 0)],
        ("routines", "moderate"): [("major", 0), ("moderate", 2), ("minor", 2)],
    }
    assert {r["ofTrusts"] for r in rows} == {"4"}
    c14 = run("cluster-challenge-severity", cluster=C14)
    assert [
        (r["challengeLabel"], r["severityLabel"], r["trusts"], r.get("nationalGrade"))
        for r in c14
        if r["trusts"] != "0"
    ] == [
        ("mobility and coordination", "major", "1", None),
        ("motivation", "moderate", "1", None),
    ]


def test_ranges_of_every_package_national_first(run):
    rows = run("cluster-package-ranges", cluster=C2)
    got = [
        (r["aspect"], r["package"].removeprefix(ID), r.get("low"), r.get("high"), r.get("average"))
        for r in rows
    ]
    assert got == [
        ("contact time", "ot-package-cluster-2", None, None, "20"),
        ("contact time", "local/synthetic-a/package", "10", "30", "24"),
        ("contact time", "local/synthetic-b/package", "12", "20", "16"),
        ("contact time", "local/synthetic-c/package", "20", "40", "30"),
        ("contact time", "local/synthetic-d/package", None, None, "12"),
        ("duration", "ot-package-cluster-2", "1", "6", "3"),
        ("duration", "local/synthetic-a/package", "2", "9", "4"),
        ("duration", "local/synthetic-b/package", "1", "6", "3"),
        ("duration", "local/synthetic-c/package", "3", "12", "6"),
        ("duration", "local/synthetic-d/package", "1", "4", "2"),
        ("skill level", "ot-package-cluster-2", "5", "6", None),
        ("skill level", "local/synthetic-a/package", "4", "6", None),
        ("skill level", "local/synthetic-b/package", "5", "6", None),
        ("skill level", "local/synthetic-c/package", "5", "7", None),
        ("skill level", "local/synthetic-d/package", "4", "5", None),
    ]
    assert rows[1]["providerLabel"] == "Synthetic Trust A (not real)"


def test_side_by_side_lists_each_package_item_once(run):
    rows = run("cluster-packages-side-by-side", cluster=C2)
    by_package = {}
    for r in rows:
        by_package.setdefault(r["package"], set()).add((r["item"].removeprefix(ID), r.get("grade")))
    assert len(rows) == 46 and len(by_package) == 5  # 45 before the national 'Adjust demands' entry
    assert by_package[package("synthetic-d")] == {
        ("intervention-01", None),
        ("intervention-23", None),
        ("mohost", None),
        ("challenge-motivation", "moderate"),
        ("challenge-routines", "minor"),
    }
    # national rows come first within each item
    first = rows[[r["item"] for r in rows].index(ID + "intervention-01")]
    assert first["kind"] == "national"


def test_package_measures_of_a_trusts_package(run):
    rows = run("package-measures", package=package("synthetic-c"))
    assert [(r["tool"].removeprefix(ID), r.get("domain", "").removeprefix(ID + "moho-")) for r in rows] == [
        ("ocairs", "habituation"),
        ("ocairs", "volition"),
        ("weis", "environment"),
    ]


def test_interventions_for_a_challenge_list_local_packages_too(run):
    rows = run("interventions-for-challenge", challenge=ID + "challenge-motivation")
    got = [(r["number"], r.get("kind"), r.get("code"), r.get("package", "").removeprefix(ID)) for r in rows]
    assert got == [
        ("1", "national", "2", "ot-package-cluster-2"),
        ("1", "local", "2", "local/synthetic-a/package"),
        ("1", "local", "2", "local/synthetic-b/package"),
        ("1", "local", "2", "local/synthetic-c/package"),
        ("1", "local", "2", "local/synthetic-d/package"),
        ("2", "national", "2", "ot-package-cluster-2"),
        ("2", "local", "2", "local/synthetic-b/package"),
        ("3", "local", "14", "local/synthetic-e/package"),
        ("4", None, None, ""),
        ("22", None, None, ""),
    ]
