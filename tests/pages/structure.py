"""A small HTML reader for the page tests: the accessibility structure every page must have."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset"}


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: (v or "") for k, v in attrs})
        self.elements.append(el)
        if tag not in ("input", "meta", "link", "br", "img", "rect", "path"):
            self.open.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for el in self.open:
            el.text += data

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def problems(html: str) -> list[str]:
    """What breaks the structure the pages promise: lang, skip link, landmarks, heading order,
    a label on every control, scoped table headers, unique ids."""
    page, found = read(html), []
    if page.all("html")[0].attrs.get("lang") != "en":
        found.append("html has no lang=en")
    links = page.all("a")
    if not links or links[0].attrs.get("href") != "#main":
        found.append("the first link is not the skip link to #main")
    for tag in ("header", "nav", "main", "footer"):
        if not page.all(tag):
            found.append(f"no <{tag}> landmark")
    levels = [int(e.tag[1]) for e in page.elements if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    if levels[:1] != [1] or levels.count(1) != 1:
        found.append(f"not exactly one h1, first: {levels[:3]}")
    found += [f"heading jumps from h{a} to h{b}" for a, b in pairwise(levels) if b > a + 1]
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    found += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    labelled = {e.attrs.get("for") for e in page.all("label")}
    for e in page.elements:
        if (
            e.tag in CONTROLS
            and e.attrs.get("type") not in UNLABELLED_INPUTS
            and e.attrs.get("id") not in labelled
            and not e.attrs.get("aria-label")
        ):
            found.append(f"<{e.tag} name={e.attrs.get('name')}> has no label")
    found += [
        f"<th>{e.text.strip()[:30]}</th> has no scope" for e in page.all("th") if "scope" not in e.attrs
    ]
    return found
