"""The care map on the pages of the real graph: a cluster lists its package, the package reads as
its A3 sheet, an intervention shows what it works on, and /trace lists the figures behind an entity."""

from .structure import problems, read

ID = "https://w3id.org/otkg/id/"


def test_cluster_2_page_lists_its_national_package_and_rules(html):
    page = html.get("/id/cluster-2")
    assert page.status_code == 200 and problems(page.text) == []
    packages = page.text[page.text.index('id="packages"') : page.text.index("Rules of the OT care packages")]
    assert 'href="/id/ot-package-cluster-2"' in packages and "national" in packages
    assert "no: restated from a public copy" in packages
    rules = page.text[page.text.index("Rules of the OT care packages") :]
    rules = rules[: rules.index("<h2")]
    assert rules.count('href="/id/ot-rule-') == 3  # the rules for all clusters


def test_a_cluster_without_a_sheet_says_so(html):
    page = html.get("/id/cluster-14")
    assert page.status_code == 200 and problems(page.text) == []
    notice = page.text[page.text.index('id="no-package"') :]
    notice = notice[: notice.index("</div>")]
    assert "No care package for this cluster yet." in notice and "are not public" in notice
    assert 'href="/contribute"' in notice
    assert 'href="/id/ot-rule-physical-health-cognitive"' not in page.text
    assert 'href="/id/ot-rule-physical-health-cognitive"' in html.get("/id/cluster-19").text


def test_package_page_lays_out_the_eight_columns_of_its_sheet(html):
    page = html.get("/id/ot-package-cluster-2")
    assert page.status_code == 200 and problems(page.text) == []
    table = next(t for t in read(page.text).all("table") if "sheet" in t.attrs.get("class", ""))
    headers = [th.text.strip() for th in read(page.text[page.text.index('class="sheet"') :]).all("th")][:8]
    assert headers == [
        "assessment",
        "challenges",
        "outcome",
        "intervention",
        "added value",
        "skill and level",
        "contact",
        "resources",
    ]
    assert (
        "moderate: motivation" in table.text and "level 5-6" in table.text and "measure: WEIS" in table.text
    )


def test_intervention_page_shows_its_care_map_and_clusters(html):
    page = html.get("/id/intervention-23")
    assert page.status_code == 200 and problems(page.text) == []
    care = page.text[page.text.index('id="care-map"') :]
    for target in ("challenge-routines", "outcome-routines-roles", "ot-overall-outcome", "moho-habituation"):
        assert f'href="/id/{target}"' in care
    assert "work habits e.g. punctuality" in care and 'href="/id/cluster-2"' in care


def test_trace_lists_the_figures_that_support_an_entity(html):
    page = html.get("/trace", params={"iri": ID + "pcn-ot-advanced-practitioner"})
    assert page.status_code == 200 and problems(page.text) == []
    figures = page.text[page.text.index('id="figures"') : page.text.index('id="documents"')]
    assert figures.count("<tr>") >= 2  # header row and at least one figure
