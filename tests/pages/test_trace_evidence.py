"""The trace page's text under the drawing: each claim once in the grouped provenance table, a passage
quoted by two claims shown in context once, each quote collapsed to an excerpt; a quote box of the
drawing opens and shows its passage (Chromium reveals a closed <details> holding the link's target,
with or without script)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest
from otkg.api.pages.render import CSP

from .structure import read
from .test_entity_evidence import CLAIMS_16, _fold

ID = "https://w3id.org/otkg/id/"
TRACE_16 = "/trace?iri=" + quote(ID + "intervention-16", safe="")
# The ten passages intervention-16's eleven claims quote, by the fragment id each has: passage-i-k of
# the first claim (i, in the trace's order) to quote it. passage-7-0 (characters 15785-15842) is also
# quoted by care-map/doc-000/intervention-16/inMOHODomain-1.
PASSAGES_16 = {
    "passage-0-0": "Assistive Technology",
    "passage-1-0": "Selection of appropriate equipment, assistive technology, environmental design",
    "passage-2-0": "Selection of appropriate equipment, assistive technology, environmental design",
    "passage-3-0": "Telecare - Assistive technology/risk preventive measure.",
    "passage-4-0": "Compensatory strategies",
    "passage-5-0": "16.",
    "passage-6-0": "Telecare",
    "passage-7-0": "Selection of appropriate equipment, assistive technology,",
    "passage-8-0": "environmental design & adaptation",
    "passage-9-0": "The overall outcome for any occupational therapy intervention is",
}
# intervention-16's trace page was 6,486 px tall at 1280 px when every claim showed its passages in
# full context; with the grouped table it measured 3,136 px
TRACE_HEIGHT_BOUND = 4000


@pytest.fixture(scope="module")
def trace16(html):
    return html.get(TRACE_16).text


def _text_part(page: str) -> str:
    """The page after the drawing: the text and tables that repeat the trail."""
    return page[page.index("</svg>") :]


def test_each_claim_is_listed_once_in_the_text(trace16):
    links = [a.attrs["href"] for a in read(_text_part(trace16)).all("a")]
    assert sorted(h for h in links if h.startswith("/claim/")) == sorted("/claim/" + c for c in CLAIMS_16)
    groups = [_fold(th.text) for th in read(trace16).all("th") if th.attrs.get("scope") == "colgroup"]
    assert groups[:3] == [
        "addresses otkg:addresses",
        "aims at otkg:aimsAt",
        "definition point otkg:definitionPoint",
    ]
    assert len(groups) == 9 and groups[-1] == "definition skos:definition"


def test_each_passage_is_shown_in_context_once_as_a_collapsed_excerpt(trace16):
    text = _text_part(trace16)
    marks = dict(re.findall(r'<blockquote id="([^"]+)">[^<]*<mark>([^<]*)</mark>[^<]*</blockquote>', text))
    assert sorted(marks) == sorted(PASSAGES_16) and text.count("<mark>") == 10
    assert all(_fold(unescape(marks[i])).startswith(start) for i, start in PASSAGES_16.items())
    # every context sits in a closed <details> whose summary is the quote's excerpt
    details = re.findall(
        r'<details class="quote"><summary>“([^<]*)”</summary><blockquote id="([^"]+)"', trace16
    )
    assert sorted(i for _, i in details) == sorted(PASSAGES_16) and "<details open" not in trace16
    assert {i: s for s, i in details}["passage-4-0"] == "Compensatory strategies"


def test_a_passage_quoted_twice_is_shown_once_and_linked_the_second_time(trace16):
    text = _text_part(trace16)
    assert text.count("<mark>Selection of appropriate equipment, assistive technology,</mark>") == 1
    assert text.count('id="passage-7-0"') == 1
    again = re.findall(
        r'<p class="quote-again">“([^<]*)” <a href="#([^"]+)">also quoted above, in context</a>', text
    )
    assert again == [("Selection of appropriate equipment, assistive technology,", "passage-7-0")]
    # its where-line is still given on both rows
    assert text.count("000_919e84af50fb5e8d.txt</a>, characters 15785–15842") == 2


def test_documents_count_each_passage_once(trace16):
    row = next(
        tr
        for tr in re.findall(r"<tr>.*?</tr>", trace16, re.DOTALL)
        if "<code>000_919e84af50fb5e8d.txt</code>" in tr
    )
    assert row.endswith('<td class="num" data-label="Passages">10</td></tr>')


def test_quote_boxes_link_to_passages_inside_the_collapsed_text(trace16):
    drawing = trace16[trace16.index("<svg") : trace16.index("</svg>")]
    targets = re.findall(r'<a href="#([^"]+)" class="node node-quote">', drawing)
    assert sorted(targets) == sorted(PASSAGES_16)


def test_the_page_runs_no_script(html, trace16):
    # the quotes open on fragment navigation by the browser alone: no script, and the CSP allows none
    assert "<script" not in trace16
    assert html.get(TRACE_16).headers["content-security-policy"] == CSP and "script-src" not in CSP


@pytest.mark.browser
def test_trace_page_stays_short(tab, real_server):
    tab.goto(real_server + TRACE_16)
    assert tab.evaluate("document.body.scrollHeight") < TRACE_HEIGHT_BOUND


def _shown_in_view(tab, ident: str) -> bool:
    """The passage's highlighted quote is rendered, its <details> open, and the mark on screen."""
    return tab.locator(f"#{ident}").evaluate(
        """b => { const m = b.querySelector('mark'), r = m.getBoundingClientRect();
                  return b.closest('details').open && m.checkVisibility()
                         && r.top >= 0 && r.top < innerHeight; }"""
    )


@pytest.mark.browser
def test_every_quote_box_opens_and_shows_its_passage(tab, real_server):
    tab.goto(real_server + TRACE_16)
    boxes = tab.locator("svg a.node-quote")
    assert boxes.count() == 10
    for n in range(10):
        target = boxes.nth(n).get_attribute("href")[1:]
        assert not tab.locator(f"#{target} mark").is_visible()
        boxes.nth(n).click()
        tab.wait_for_url(lambda url, t=target: url.endswith("#" + t))
        assert _shown_in_view(tab, target), target
        assert _fold(tab.locator(f"#{target} mark").inner_text()).startswith(PASSAGES_16[target])


@pytest.mark.browser
def test_the_second_quote_of_a_passage_opens_the_first(tab, real_server):
    tab.goto(real_server + TRACE_16)
    tab.get_by_role("link", name="also quoted above, in context").click()
    tab.wait_for_url("**#passage-7-0")
    assert _shown_in_view(tab, "passage-7-0")


@pytest.mark.browser
def test_quote_boxes_open_their_passage_without_javascript(chromium, real_server):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(real_server + TRACE_16)
    mark = page.locator("#passage-4-0 mark")
    assert not mark.is_visible()
    page.locator('svg a.node-quote[href="#passage-4-0"]').click()
    page.wait_for_url("**#passage-4-0")
    assert mark.is_visible() and mark.inner_text() == "Compensatory strategies"
    context.close()
