"""An entity page states each fact once (long text collapsed behind <details>, every claim kept), and
the evidence trail's boxes read apart from one another."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from itertools import pairwise
from urllib.parse import quote

import pytest

from .structure import read

ID = "https://w3id.org/otkg/id/"
SVG = "{http://www.w3.org/2000/svg}"
# intervention-16's definition in seed 000, as the page's lead paragraph shows it
DEFINITION = (
    "Selection of appropriate equipment, assistive technology, environmental design & adaptation, for "
    "example : manual handling and personal care equipment, passive falls alarms, automatic pill "
    "dispensers, wheelchairs, specialist seating, pressure relief, use of colour, décor and lighting and "
    "pictorial sues to enhance client orientation and safety. Telecare - Assistive technology/risk "
    "preventive measure. Passive alarms, including bed monitor, gas sensor, falls alarm, flood detector) to "
    "decrease vulnerability / manage risk of falls and disorientation at night. Compensatory strategies"
)
CLAIMS_16 = [
    "care-map/doc-000/intervention-16",
    "care-map/doc-000/intervention-16/aimsAt-1",
    "care-map/doc-000/intervention-16/aimsAt-2",
    "care-map/doc-000/intervention-16/inMOHODomain-1",
    "curated/doc-000/intervention-16/inColumn-1",
    "doc-000/intervention-16",
    "doc-000/intervention-16/definition-1",
    "doc-000/intervention-16/definitionPoint-1",
    "doc-000/intervention-16/definitionPoint-2",
    "doc-000/intervention-16/definitionPoint-3",
    "doc-000/intervention-16/interventionNumber-1",
    "doc-000/intervention-16/mentions-1",
]


class Outside(HTMLParser):
    """The page's text outside <details> elements, whitespace folded."""

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "details"

    def handle_endtag(self, tag):
        self.depth -= tag == "details"

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page16(html):
    return html.get("/id/intervention-16").text


def test_intervention_definition_shows_once_outside_collapsed_text(page16):
    outside = Outside()
    outside.feed(page16)
    assert outside.text().count(DEFINITION) == 1
    assert _fold(read(page16).all("p")[1].text) == DEFINITION  # the lead, under the IRI line


def test_every_claim_keeps_its_link_once_and_its_passage_in_context(page16):
    links = [a.attrs["href"] for a in read(page16).all("a")]
    assert sorted(h for h in links if h.startswith("/claim/")) == sorted("/claim/" + c for c in CLAIMS_16)
    summaries = [_fold(s.text) for s in read(page16).all("summary")]
    quotes = [s for s in summaries if s.startswith("“")]
    # the 11 claims quote 10 passages (the curated link none): each opens once, the one quoted twice
    # is a link to it the second time
    assert len(quotes) == 10 and len(set(quotes)) == 10
    assert page16.count(">also quoted above, in context</a>") == 1
    assert "<mark>Compensatory strategies</mark>" in page16  # a passage highlighted in its context
    assert "characters 16349–16372" in page16


def test_claims_are_grouped_by_the_property_they_support(page16):
    groups = [_fold(th.text) for th in read(page16).all("th") if th.attrs.get("scope") == "colgroup"]
    assert groups == [
        "addresses otkg:addresses",
        "aims at otkg:aimsAt",
        "definition point otkg:definitionPoint",
        "in column otkg:inColumn",
        "in MOHO domain otkg:inMOHODomain",
        "intervention number otkg:interventionNumber",
        "mentions otkg:mentions",
        "type rdf:type",
        "definition skos:definition",
    ]


def test_long_values_are_collapsed_but_kept_whole(page16):
    details = [_fold(d.text) for d in read(page16).all("details") if "long" in d.attrs.get("class", "")]
    assert len(details) == 3  # the definition and its two long points, in Links out
    assert any(d.endswith(DEFINITION) for d in details)
    assert "Compensatory strategies" in _fold(read(page16).all("table")[-1].text)  # a short point stays open


def test_the_claims_are_not_listed_again_as_links_in(page16):
    assert "nothing else points at it" in page16 and "oa:hasBody" not in page16


@pytest.fixture(scope="module")
def trail16(html):
    page = html.get("/trace", params={"iri": ID + "intervention-16"}).text
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    return ET.fromstring(page[start:end])


def _boxes(root, kind: str) -> list[tuple[str, str]]:
    """(text of the box, its <title>) of each node of one kind."""
    return [
        (" / ".join(t.text for t in a.iter(SVG + "tspan")), a.find(SVG + "title").text)
        for a in root.iter(SVG + "a")
        if f"node-{kind}" in a.get("class").split()
    ]


def test_trail_boxes_of_claims_and_quotes_read_apart(trail16):
    claims, quotes = _boxes(trail16, "claim"), _boxes(trail16, "quote")
    assert len(claims) == 11 and len({text for text, _ in claims}) == 11
    # one passage is quoted by two claims: its box is drawn once
    assert len(quotes) == 10 and len({text for text, _ in quotes}) == 10
    assert "in MOHO domain / environment" in {text for text, _ in claims}
    assert "characters 16349–16372 / “Compensatory strategies”" in {text for text, _ in quotes}


def test_trail_titles_hold_the_full_text(trail16):
    titles = [title for _, title in _boxes(trail16, "quote")]
    where = "characters 15785–16372 of 000_919e84af50fb5e8d.txt"
    assert f"Quoted passage, {where}: “{DEFINITION}”" in titles


@pytest.mark.parametrize("name", ["intervention-04", "element-kind-variance"])
def test_trail_boxes_never_overlap_in_a_column(html, name):
    page = html.get("/trace?iri=" + quote(ID + name, safe="")).text
    root = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    columns: dict[str, list[tuple[float, float]]] = {}
    for rect in root.iter(SVG + "rect"):
        columns.setdefault(rect.get("x"), []).append((float(rect.get("y")), float(rect.get("height"))))
    for boxes in columns.values():
        boxes.sort()
        assert all(y0 + h0 < y1 for (y0, h0), (y1, _) in pairwise(boxes))
