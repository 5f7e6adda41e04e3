"""Page layout in headless Chromium: nothing scrolls sideways on a phone, an intervention's page stays
short, a quote opens to its context, and the trail's text fits its boxes."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser
ID = "https://w3id.org/otkg/id/"
PAGES = {
    "home": "/",
    "entity": "/id/intervention-16",
    "trace": "/trace?iri=" + quote(ID + "intervention-16", safe=""),
    "query": "/queries/evidence-for-entity?entity=" + quote(ID + "intervention-04", safe=""),
    "matrix": "/matrix",
}
# intervention-16's page was 9,669 px tall at 1280 px when each claim showed its passage in full context
ENTITY_HEIGHT_BOUND = 4500


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_scrolls_sideways(tab, real_server, width):
    tab.set_viewport_size({"width": width, "height": 900})
    wide = {}
    for name, path in PAGES.items():
        tab.goto(real_server + path)
        root = "document.documentElement"
        scroll, client = tab.evaluate(f"[{root}.scrollWidth, {root}.clientWidth]")
        if scroll > client:
            wide[name] = scroll
    assert wide == {}


def test_the_header_search_stays_on_screen_at_390_px(tab, real_server):
    tab.set_viewport_size({"width": 390, "height": 900})
    tab.goto(real_server + "/")
    box = tab.locator("header form.site-search button").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_an_intervention_page_stays_short(tab, real_server):
    tab.goto(real_server + PAGES["entity"])
    assert tab.evaluate("document.body.scrollHeight") < ENTITY_HEIGHT_BOUND


def test_a_quote_opens_to_its_highlighted_context(tab, real_server):
    tab.goto(real_server + PAGES["entity"])
    mark = tab.locator("#passage-1-0 mark")
    assert not mark.is_visible()
    tab.locator("details:has(#passage-1-0) summary").click()
    assert mark.is_visible() and mark.inner_text().startswith("Selection of appropriate equipment")


@pytest.mark.parametrize("name", ["intervention-16", "intervention-04", "rr-recovery-approach", "cluster-2"])
def test_trail_text_fits_its_boxes(tab, real_server, name):
    tab.goto(real_server + "/trace?iri=" + quote(ID + name, safe=""))
    spilled = tab.evaluate(
        """() => [...document.querySelectorAll('svg a.node')].flatMap(a => {
          const r = a.querySelector('rect'), right = +r.getAttribute('x') + +r.getAttribute('width');
          return [...a.querySelectorAll('tspan')]
            .filter(t => +t.getAttribute('x') + t.getComputedTextLength() > right - 4)
            .map(t => t.textContent);
        })"""
    )
    assert tab.locator("svg a.node tspan").count() > 3 and spilled == []
