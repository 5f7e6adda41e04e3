"""/contribute through a real uvicorn server on a writable disk store: plain form posts as a browser
without script sends them, and Chromium with script on and off, axe-core included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from otkg.api.pages.screenshots import GOOD_SHEET, TRUST, send_sheet, sheet_with_problems
from otkg.kg.contrib.credentials import issue

from tests.api.conftest import uvicorn_server

from .conftest import BROWSER

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PACKAGE = "https://w3id.org/otkg/id/local/{}/package"


@dataclass(frozen=True)
class Site:
    url: str
    store: Path
    key: str  # may write 'synthetic-*'
    other: str  # may write 'other-trust' only


@pytest.fixture(scope="module")
def site(build_dir, tmp_path_factory):
    store = tmp_path_factory.mktemp("contribute-store")
    key = issue(store / "credentials.json", "Synthetic Trust lead", "synthetic-*")
    other = issue(store / "credentials.json", "Other Trust lead", "other-trust")
    with uvicorn_server(
        build_dir, tmp_path_factory.mktemp("contribute"), store="disk", store_dir=store
    ) as url:
        yield Site(url, store, key, other)


@pytest.fixture(scope="module")
def bad_sheet(tmp_path_factory) -> Path:
    return sheet_with_problems(tmp_path_factory.mktemp("sheets") / "problems.xlsx")


def post(site: Site, sheet: Path | None, key: str, slug: str, trust: str = TRUST, cluster: str = "2"):
    files = {"file": (sheet.name, sheet.read_bytes(), XLSX)} if sheet else {"file": ("", b"", XLSX)}
    data = {"trust": trust, "cluster": cluster, "slug": slug, "key": key}
    return httpx.post(site.url + "/contribute", data=data, files=files, headers=BROWSER, timeout=60)


def publish(site: Site, preview: str, key: str):
    fields = {"preview": (None, preview), "key": (None, key)}
    return httpx.post(site.url + "/contribute/publish", files=fields, headers=BROWSER, timeout=60)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def preview_id(html: str) -> str:
    return re.search(r'name="preview" value="([^"]+)"', html).group(1)


def test_the_form_explains_the_steps_and_offers_the_template(site):
    r = httpx.get(site.url + "/contribute", headers=BROWSER)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers and "<script" not in r.text
    assert 'enctype="multipart/form-data"' in r.text and 'type="password"' in r.text
    for step in ("1. Get the template", "2. Fill it in", "3. Upload it and check it"):
        assert step in r.text
    assert len(re.findall(r'<option value="\d+"', r.text)) == 21
    template = httpx.get(site.url + re.search(r'href="(/templates/[^"]+\.xlsx)"', r.text).group(1))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    home = httpx.get(site.url + "/", headers=BROWSER)
    assert 'href="/contribute"' in home.text


def test_preview_with_problems_then_fixed_then_published_without_script(site, bad_sheet):
    slug = "synthetic-plain"
    r = post(site, bad_sheet, site.key, slug)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store"
    page = text(r.text)
    assert "Your sheet has 2 problems to fix" in page
    rows = re.findall(
        r"<tr><td>Package</td><td class=\"num\">(\d+)</td><td>([A-Z]+)</td><td><q>([^<]*)</q>", r.text
    )
    assert rows == [
        ("6", "B", "quite bad: responsibilities and routines"),
        ("7", "A", "if need identified - environment"),
    ]
    assert "use one of major, minor, moderate" in page
    assert not list((site.store / "pending").glob("*.bin"))  # nothing waits for a refused sheet

    r = post(site, GOOD_SHEET, site.key, slug)
    assert r.status_code == 200, text(r.text)
    page = text(r.text)
    assert "passed every check: 21 entries" in page and "It is not published yet" in page
    assert "Your package as its A3 sheet" in page and "9. Vocational Enablement" not in page
    assert "23. Vocational Enablement" in page and "regraded" in page and "added" in page
    assert 'href="/id/ot-package-cluster-2"' in r.text  # the national package it is compared with
    assert site.key not in r.text  # the key is never written into a page
    assert httpx.get(f"{site.url}/graph/local/{slug}").status_code == 404  # not yet published

    waiting = preview_id(r.text)
    assert publish(site, waiting, site.other).status_code == 410  # another key cannot publish it
    done = publish(site, waiting, site.key)
    assert done.status_code == 201, text(done.text)
    assert "Your package is published" in text(done.text)
    assert f'href="/id/local/{slug}/package"' in done.text
    assert f'href="/id/local/{slug}/package#national"' in done.text
    assert publish(site, waiting, site.key).status_code == 410  # once only

    package = httpx.get(f"{site.url}/id/local/{slug}/package", headers=BROWSER)
    assert package.status_code == 200 and "Against the national package" in package.text
    comparison = httpx.get(
        f"{site.url}/queries/package-vs-national?package={quote(PACKAGE.format(slug), safe='')}",
        headers=BROWSER,
    )
    assert comparison.status_code == 200 and "regraded" in comparison.text


def test_a_key_for_another_trust_gets_a_403_message_naming_its_scope(site):
    r = post(site, GOOD_SHEET, site.other, "synthetic-elsewhere")
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    page = text(r.text)
    assert "Your upload key is for another web name" in page
    assert "only under other-trust , not under synthetic-elsewhere" in page


@pytest.mark.parametrize(
    ("change", "status", "heading"),
    [
        ({"key": "otkg_not-a-key"}, 401, "We could not recognise your Trust's upload key"),
        ({"trust": "", "key": ""}, 422, "Please give your Trust's name and your Trust's upload key."),
        ({"sheet": None}, 422, "Please give the filled-in sheet."),
        ({"slug": "Not A Name!"}, 400, "That web name cannot be used"),
    ],
    ids=["unknown-key", "missing-fields", "no-file", "bad-web-name"],
)
def test_refusals_are_plain_messages_in_the_page(site, change, status, heading):
    sent = {"sheet": GOOD_SHEET, "key": site.key, "slug": "synthetic-refused", "trust": TRUST, **change}
    sheet = sent.pop("sheet")
    r = post(site, sheet, **sent)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert heading in text(r.text)
    assert '"detail"' not in r.text  # never a JSON dump


def test_a_file_that_is_not_a_sheet_or_too_large_is_refused_in_the_page(site):
    files = {"file": ("notes.txt", b"hello", "text/plain")}
    data = {"trust": TRUST, "cluster": "2", "key": site.key}
    r = httpx.post(site.url + "/contribute", data=data, files=files, headers=BROWSER)
    assert r.status_code == 415 and "That file is not a package sheet" in text(r.text)
    files = {"file": ("big.csv", b"x" * 10_000_001, "text/csv")}
    r = httpx.post(site.url + "/contribute", data=data, files=files, headers=BROWSER)
    assert r.status_code == 413 and "The file is too large" in text(r.text)


# -- in Chromium ---------------------------------------------------------------------------------


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found]


@pytest.mark.browser
@pytest.mark.parametrize("script", [True, False], ids=["script-on", "script-off"])
def test_contribute_end_to_end_in_chromium(chromium, site, bad_sheet, script):
    context = chromium.new_context(java_script_enabled=script, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    slug = f"synthetic-chromium-{'js' if script else 'nojs'}"
    page.goto(site.url + "/contribute")
    if script:
        assert axe_violations(page) == []

    send_sheet(page, bad_sheet, site.key, slug=slug)
    assert page.get_by_role("heading", name="Your sheet has 2 problems to fix").is_visible()
    assert page.get_by_text("if need identified - environment", exact=True).is_visible()
    if script:
        assert axe_violations(page) == []
    assert page.get_by_label("Your Trust's name").input_value() == TRUST  # kept for the next try
    assert page.get_by_label("Care cluster").input_value() == "2"

    send_sheet(page, GOOD_SHEET, site.key, slug=slug)  # fixed
    assert page.get_by_role("heading", name="Check your package before you publish it").is_visible()
    assert page.locator("table.sheet thead th").all_inner_texts()[0].lower() == "assessment"
    assert page.get_by_role("heading", name="Against the national package").is_visible()
    if script:
        assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})  # a phone: the wide sheet scrolls in its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Your Trust's upload key, once more").fill(site.key)
    page.get_by_role("button", name="Publish this package").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your package is published").is_visible()
    if script:
        assert axe_violations(page) == []

    page.get_by_role("link", name="Compare it with the national package").click()
    page.wait_for_url(f"**/id/local/{slug}/package#national")
    assert page.locator("#national").is_visible()
    assert page.locator("table.sheet tbody tr").count() == 5
    context.close()


@pytest.mark.browser
def test_a_key_for_another_trust_shows_its_message_in_chromium(chromium, site):
    page = chromium.new_page()
    page.goto(site.url + "/contribute")
    send_sheet(page, GOOD_SHEET, site.other, slug="synthetic-not-yours")
    assert page.get_by_role("heading", name="Your upload key is for another web name").is_visible()
    assert axe_violations(page) == []
    page.close()
