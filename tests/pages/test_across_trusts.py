"""The cluster page across Trusts and a Trust's package against the national one (issue 21, item 4),
over the real graph plus five synthetic Trusts' sheets (tests/trust_sheets.py) uploaded through the
write path to a disk store: the drawings are there, each bar's figures are the named query's answer,
the tables beside them say the same, and axe-core finds nothing at 1280 and 390 px."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from otkg.api.main import create_app
from otkg.api.pages.screenshots import serving
from otkg.api.settings import Settings

from bench.uploaded_store import load
from tests.trust_sheets import package, uploads

from .conftest import BROWSER
from .structure import problems

ID = "https://w3id.org/otkg/id/"
C2 = ID + "cluster-2"
PAGES = ["/id/cluster-2", "/id/cluster-14", "/id/local/synthetic-a/package", "/id/cluster-5"]
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def trusts_site(build_dir, tmp_path_factory):
    """The app over a disk store holding the release and the five Trusts' uploads, each checked by
    the write path and committed in one generation."""
    root = tmp_path_factory.mktemp("trusts-store")
    assert len(load(root, build_dir, uploads()).graphs) == 5
    app = create_app(
        settings=Settings(build_dir=build_dir, store="disk", store_dir=root, response_cache_mb=0)
    )
    with serving(app) as url:
        yield url


def answer(url: str, name: str, **params: str) -> list[dict[str, str]]:
    """A named query's rows, as plain values."""
    r = httpx.get(f"{url}/queries/{name}", params={**params, "format": "json", "limit": 10000}, timeout=60)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def page(url: str, path: str) -> str:
    r = httpx.get(url + path, headers=BROWSER, timeout=60)
    assert r.status_code == 200, r.text[:500]
    return r.text


# -- the HTML, without a browser -----------------------------------------------------------------
def test_cluster_page_draws_six_charts_each_named_and_described(trusts_site):
    html = page(trusts_site, "/id/cluster-2")
    assert problems(html) == []
    across = html[html.index('id="across-trusts"') : html.index('id="provenance"')]
    assert across.count('role="img"') == 6 and across.count("<svg") == 6
    for ident in (
        "coverage-intervention",
        "coverage-measure",
        "severity",
        "range-skill-level",
        "range-duration",
        "range-contact-time",
    ):
        assert f'id="{ident}" aria-labelledby="{ident}-title {ident}-desc"' in across
        assert f'<title id="{ident}-title">' in across and f'<desc id="{ident}-desc">' in across
    assert "<a " not in "".join(
        part.split("</svg>")[0] for part in across.split("<svg")[1:]
    )  # no link in a drawing
    assert "4 Trusts have published a package" in across
    for name in (
        "cluster-packages-side-by-side",
        "cluster-item-coverage",
        "cluster-challenge-severity",
        "cluster-package-ranges",
    ):
        assert f'href="/queries/{name}?cluster={quote(C2, safe="/")}"' in across


def test_side_by_side_table_has_a_column_per_package(trusts_site):
    html = page(trusts_site, "/id/cluster-2")
    table = html[
        html.index('class="side-by-side"') : html.index("</table>", html.index('class="side-by-side"'))
    ]
    heads = table[table.index("<thead>") : table.index("</thead>")]
    assert [h.split(">", 1)[1].split("<", 1)[0] for h in heads.split('<a href="')[1:]] == [
        "national package",
        "Synthetic Trust A (not real)",
        "Synthetic Trust B (not real)",
        "Synthetic Trust C (not real)",
        "Synthetic Trust D (not real)",
    ]
    motivation = table[table.index(">motivation</a>") :]
    cells = [c.split("</td>")[0] for c in motivation[: motivation.index("</tr>")].split("<td>")[1:]]
    assert cells == ["moderate", "moderate", "moderate", "major", "moderate"]


def test_a_cluster_without_a_national_package_is_compared_without_one(trusts_site):
    html = page(trusts_site, "/id/cluster-14")
    across = html[html.index('id="across-trusts"') : html.index('id="provenance"')]
    assert (
        "1 Trust has published a package" in across and "the graph holds no national package for it" in across
    )
    assert "national range" not in across and "no national package to mark" in across


def test_trust_package_page_draws_its_ranges_against_the_national_ones(trusts_site):
    html = page(trusts_site, "/id/local/synthetic-a/package")
    national = html[html.index('id="national"') :]
    assert national.count('role="img"') == 3
    assert 'href="/id/cluster-2#across-trusts"' in national
    assert "national range 5–6" in national and "national average 20" in national


def test_cluster_with_only_its_national_package_and_empty_ones_say_what_to_do(html):
    c2 = html.get("/id/cluster-2").text
    across = c2[c2.index('id="across-trusts"') : c2.index('id="provenance"')]
    assert "No Trust has published its own package" in across and 'href="/contribute"' in across
    assert "<svg" not in across
    c5 = html.get("/id/cluster-5").text
    assert 'id="no-package"' in c5 and 'id="across-trusts"' not in c5


# -- in Chromium ---------------------------------------------------------------------------------
BARS = """svg => [...svg.querySelectorAll('g.bar')].map(g => ({
  data: Object.fromEntries([...g.attributes].filter(a => a.name.startsWith('data-')).map(a => [a.name.slice(5), a.value])),
  text: [...g.querySelectorAll(':scope > text')].map(t => t.textContent).join(' | '),
  widths: [...g.querySelectorAll(':scope > rect')].map(r => r.getBBox().width),
}))"""


def _bars(tab, ident: str) -> list[dict]:
    svg = tab.locator(f"svg#{ident}")
    assert svg.is_visible()
    return svg.evaluate(BARS)


def _coverage_checked(tab, rows: list[dict]) -> None:
    for aspect in ("intervention", "measure"):
        want = [r for r in rows if r["aspect"] == aspect]
        bars = _bars(tab, f"coverage-{aspect}")
        assert [b["data"] for b in bars] == [
            {"item": r["item"], "trusts": r["trusts"], "of": r["ofTrusts"], "national": r["inNational"]}
            for r in want
        ]
        for b, r in zip(bars, want, strict=True):
            assert f"{r['trusts']} of {r['ofTrusts']} Trusts" in b["text"]
            track, *filled = b["widths"]
            assert (filled[0] if filled else 0) == pytest.approx(
                track * int(r["trusts"]) / int(r["ofTrusts"]), abs=0.2
            )


def _severity_checked(tab, rows: list[dict]) -> None:
    bars = _bars(tab, "severity")
    got = {b["data"]["challenge"]: b["data"] for b in bars}
    for r in rows:
        assert got[r["challenge"]][r["severityLabel"]] == r["trusts"]
    for b in bars:
        d = b["data"]
        rated = sum(int(d[g]) for g in ("major", "moderate", "minor"))
        assert int(d["not-rated"]) == 4 - rated
        assert sorted(b["widths"]) == sorted(
            300 * int(d[g]) / 4 for g in ("major", "moderate", "minor", "not-rated") if int(d[g])
        )


def _ranges_checked(tab, rows: list[dict]) -> None:
    for aspect in ("skill level", "duration", "contact time"):
        want = [r for r in rows if r["aspect"] == aspect]
        bars = _bars(tab, "range-" + aspect.replace(" ", "-"))
        assert [b["data"] for b in bars] == [
            {
                "package": r["package"],
                "low": r.get("low", ""),
                "high": r.get("high", ""),
                "average": r.get("average", ""),
            }
            for r in want
        ]


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_each_bar_shows_the_query_answer(chromium, trusts_site, width):
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    tab.goto(trusts_site + "/id/cluster-2")
    _coverage_checked(tab, answer(trusts_site, "cluster-item-coverage", cluster=C2))
    _severity_checked(tab, answer(trusts_site, "cluster-challenge-severity", cluster=C2))
    _ranges_checked(tab, answer(trusts_site, "cluster-package-ranges", cluster=C2))
    assert tab.evaluate("document.documentElement.scrollWidth") <= width  # drawings scroll in their box
    tab.goto(trusts_site + "/id/local/synthetic-a/package")
    rows = {
        r["aspect"]: r
        for r in answer(trusts_site, "package-ranges-vs-national", package=package("synthetic-a"))
    }
    for aspect, r in rows.items():
        bars = _bars(tab, "package-range-" + aspect.replace(" ", "-"))
        assert [b["data"] for b in bars] == [
            {k: r.get(f"{side}{k.capitalize()}", "") for k in ("low", "high", "average")} | {"package": side}
            for side in ("national", "local")
        ]
    tab.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(chromium, trusts_site, path, width):
    from axe_playwright_python.sync_playwright import Axe

    tab = chromium.new_page(viewport={"width": width, "height": 900})
    tab.goto(trusts_site + path)
    found = Axe().run(tab).response["violations"]
    assert [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found] == []
    tab.close()
