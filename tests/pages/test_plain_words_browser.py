"""Plain words in headless Chromium (issue 21, item 5): the matrix draws every cluster's label whole
(cluster 21 read as '1 Cognitive Impairment…' when its code ran off the drawing's edge), no word in a
table breaks letter by letter at 390 px, a long evidence table stacks on a phone, and axe-core finds
nothing on the pages this changed."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .test_contribute import axe_violations

pytestmark = pytest.mark.browser
ID = "https://w3id.org/otkg/id/"

ROW_LABELS = """() => {
  const svg = document.querySelector('#heading-intervention ~ figure svg');
  const box = svg.getBoundingClientRect();
  const first = svg.querySelector('rect').getBoundingClientRect();
  return [...svg.querySelectorAll('g.row-label')].map(g => {
    const [code, name] = g.querySelectorAll('text');
    const c = code.getBoundingClientRect(), n = name.getBoundingClientRect();
    return {title: g.querySelector('title').textContent, code: code.textContent, name: name.textContent,
            inside: c.left >= box.left && n.left > c.right && n.right <= first.left};
  });
}"""

COLUMN_LABELS = """() => {
  const svg = document.querySelector('#heading-intervention ~ figure svg');
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('g:not(.row-label) > text[transform]')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.top < box.top || r.right > box.right;
  }).map(t => t.textContent);
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_matrix_draws_every_cluster_label_whole(tab, real_server, width):
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(real_server + "/matrix")
    rows = tab.evaluate(ROW_LABELS)
    assert len(rows) == 21
    assert all(r["inside"] for r in rows), [r["title"] for r in rows if not r["inside"]]
    assert all(f"{r['code']} {r['name']}" == r["title"] for r in rows)
    last = rows[-1]
    assert (last["code"], last["name"]) == (
        "21",
        "Cognitive Impairment or Dementia (High Physical or Engagement)",
    )
    assert tab.evaluate(COLUMN_LABELS) == []  # no column label runs off the drawing


def test_the_intervention_matrix_fits_a_desktop_screen_without_scrolling(tab, real_server):
    tab.goto(real_server + "/matrix")
    scroll = tab.locator("#heading-intervention ~ figure .scroll")
    assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")


# Words in table cells that break over two lines: each alphabetic word of 4+ letters must sit on one
# line (one client rect); text in <code> (IRIs, checksums) may break.
BROKEN_WORDS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code, svg, .visually-hidden')) continue;
      for (const m of node.textContent.matchAll(/[A-Za-z]{4,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        if (rects.length > 1) out.push(m[0]);
      }
    }
  }
  return out.slice(0, 10);
}"""

PAGES = {
    "query": "/queries/kpis-and-measures",
    "trace": "/trace?iri=" + quote(ID + "intervention-16", safe=""),
    "cluster": "/id/cluster-2",
    "package": "/id/ot-package-cluster-2",
    "intervention": "/id/intervention-07",
    "matrix": "/matrix",
    "home": "/",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_word_in_a_table_breaks_letter_by_letter_at_390_px(tab, real_server, name):
    tab.set_viewport_size({"width": 390, "height": 900})
    tab.goto(real_server + PAGES[name])
    assert tab.evaluate(BROKEN_WORDS) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390


# doc-002's trail was 50,993 px tall at 320 px (168 claims, one row each, three narrow columns).
DOC_002_TRAIL_BOUND = 20_000


def test_a_long_evidence_table_stacks_on_a_phone(tab, real_server):
    tab.set_viewport_size({"width": 320, "height": 900})
    tab.goto(real_server + "/trace?iri=" + quote(ID + "doc-002", safe=""))
    assert (
        tab.locator("table.provenance tbody tr td").first.evaluate("e => getComputedStyle(e).display")
        == "block"
    )
    assert tab.evaluate("document.documentElement.scrollHeight") < DOC_002_TRAIL_BOUND
    tab.set_viewport_size({"width": 1280, "height": 900})
    assert tab.locator("table.provenance tbody tr td").first.evaluate("e => getComputedStyle(e).display") == (
        "table-cell"
    )


AXE_PAGES = {
    **PAGES,
    "trace doc-002": "/trace?iri=" + quote(ID + "doc-002", safe=""),
    "query form": "/queries/package-contents",
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", sorted(AXE_PAGES))
def test_axe_finds_nothing_on_the_changed_pages(tab, real_server, name, width):
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(real_server + AXE_PAGES[name])
    assert axe_violations(tab) == []
