"""The cluster matrices: honest when the graph holds no local packages, drawn from the catalogue
queries when it does (the real graph plus kg.pipeline.scale.generate(10_000)'s synthetic local packages)."""

import re
from collections import defaultdict
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from otkg.api.pages import svg
from otkg.api.pages.demo import local_package_quads

from .structure import problems, read

OTKG = "https://w3id.org/otkg/ontology#"
ID = "https://w3id.org/otkg/id/"
CELL = re.compile(
    r'<a href="([^"]+)" class="cell[^"]*"><title>[^<]*</title><rect [^>]*/><text [^>]*>(\d+)</text></a>'
)


@pytest.fixture(scope="module")
def expected():
    """(cluster, intervention) -> number of local packages, counted straight from the synthetic quads."""
    quads, _ = local_package_quads(10_000)
    by = defaultdict(set)
    for q in quads:
        by[(q.subject.value, q.predicate.value.removeprefix(OTKG))].add(q.object.value)
    counts = defaultdict(set)
    for (pkg, prop), clusters in by.items():
        if prop != "forCluster":
            continue
        for el in by[(pkg, "hasElement")]:
            for target in by.get((el, "specifies"), ()):
                if target.startswith(ID + "intervention-"):
                    counts[(next(iter(clusters)), target)].add(pkg)
    found = {k: len(v) for k, v in counts.items()}
    for cell, n in NATIONAL.items():  # the real graph's national cluster 2 package
        found[cell] = found.get(cell, 0) + n
    return found


def _cells(html: str) -> dict:
    """(cluster, column) -> the count drawn in each linked cell of the intervention heatmap."""
    found = {}
    for href, count in CELL.findall(html):
        q = parse_qs(urlsplit(unescape(href)).query)
        if q["kind"] == ["intervention"]:
            found[(q["cluster"][0], q["column"][0])] = int(count)
    return found


NATIONAL = {(ID + "cluster-2", ID + f"intervention-{n:02d}"): 1 for n in (1, 2, 7, 23, 24)}


def test_real_graph_draws_the_national_cluster_2_row_only(html):
    page = html.get("/matrix")
    assert page.status_code == 200 and problems(page.text) == []
    assert page.text.count("The graph holds no per-cluster") == 0
    assert _cells(page.text) == NATIONAL  # the one national sheet in the graph; nothing invented
    assert "Care clusters × outcomes: the 7 cells with links" in page.text


def test_a_national_cell_shows_its_public_source(html):
    page = html.get(
        "/matrix",
        params={"kind": "intervention", "cluster": ID + "cluster-2", "column": ID + "intervention-23"},
    )
    assert page.status_code == 200 and problems(page.text) == []
    evidence = page.text[page.text.index('id="evidence"') :]
    assert "1 care package and 0 supporting claims" in evidence
    assert "Public source: " in evidence and "vdocuments.site" in evidence


def test_matrix_draws_every_cluster_and_intervention_with_linked_cells(demo_html, expected):
    page = demo_html.get("/matrix")
    assert page.status_code == 200 and problems(page.text) == []
    doc = read(page.text)
    drawing = next(s for s in doc.all("svg") if s.attrs["aria-labelledby"].startswith("matrix-intervention"))
    assert "21 care clusters (rows) by 24 interventions (columns)" in drawing.text
    assert _cells(page.text) == expected and len(expected) > 40


def test_matrix_cells_link_to_their_evidence(demo_html, expected):
    (cluster, intervention), packages = sorted(expected.items())[0]
    href = next(
        a.attrs["href"]
        for a in read(demo_html.get("/matrix").text).all("a")
        if f"column={intervention.replace(':', '%3A').replace('/', '%2F')}" in a.attrs.get("href", "")
        and f"cluster={cluster.replace(':', '%3A').replace('/', '%2F')}" in a.attrs["href"]
    )
    page = demo_html.get(href)
    assert page.status_code == 200 and problems(page.text) == []
    evidence = page.text[page.text.index('id="evidence"') :]
    assert f"{packages} care package" in evidence
    assert "<mark>Element syn-el-" in evidence and f"delivers {intervention.removeprefix(ID)}" in evidence
    assert "/trace?iri=https%3A//w3id.org/otkg/id/syn-el-" in evidence


def test_outcome_matrix_lists_the_linked_outcomes(demo_html):
    page = demo_html.get("/matrix")
    assert page.text.count("The graph holds no per-cluster") == 0
    assert "Care clusters × outcomes: the 70 cells with links" in page.text  # 63 synthetic, 7 national


def test_a_cell_that_links_nothing_is_an_html_404(demo_html):
    page = demo_html.get(
        "/matrix", params={"kind": "intervention", "cluster": ID + "cluster-1", "column": "<script>"}
    )
    assert page.status_code == 404 and "<script>" not in page.text


@pytest.mark.parametrize(
    "count,heat", [(0, "heat-0"), (1, "heat-1"), (2, "heat-2"), (5, "heat-3"), (6, "heat-4")]
)
def test_heat_bins(count, heat):
    assert svg.heat_class(count) == heat
