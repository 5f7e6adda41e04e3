"""WCAG 2.2 AA contrast of every colour pair the pages use (static/style.css custom properties).

Text needs 4.5:1 against its background; focus rings, borders and drawn shapes need 3:1 (1.4.11).
"""

import re

import pytest
from otkg.api.pages.render import STATIC_DIR

CSS = (STATIC_DIR / "style.css").read_text(encoding="utf-8")
ROOT = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
COLOURS = dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-f]{6});", ROOT))
TEXT, SHAPE = 4.5, 3.0
PAIRS = [  # foreground, background, minimum, where
    ("text", "bg", TEXT, "body text"),
    ("muted", "bg", TEXT, "hints, captions, footer"),
    ("muted", "panel", TEXT, "captions in passages and notices"),
    ("text", "panel", TEXT, "notices, row headers, passages"),
    ("text", "th-bg", TEXT, "column headers"),
    ("link", "bg", TEXT, "links"),
    ("link", "panel", TEXT, "links in passages and notices"),
    ("link-visited", "bg", TEXT, "visited links"),
    ("link-visited", "panel", TEXT, "visited links in passages"),
    ("header-text", "header-bg", TEXT, "site header, buttons"),
    ("focus-ring", "focus-halo", TEXT, "skip link"),
    ("text", "mark-bg", TEXT, "highlighted quote"),
    ("error", "error-bg", TEXT, "error heading"),
    ("text", "error-bg", TEXT, "error text"),
    ("heat-dark-text", "heat-1", TEXT, "count in a 1-package cell"),
    ("heat-dark-text", "heat-2", TEXT, "count in a 2-package cell"),
    ("heat-light-text", "heat-3", TEXT, "count in a 3-5-package cell"),
    ("heat-light-text", "heat-4", TEXT, "count in a 6+-package cell"),
    ("entity-text", "entity-bg", TEXT, "entity node"),
    ("text", "claim-bg", TEXT, "claim node"),
    ("text", "quote-bg", TEXT, "quote node"),
    ("text", "document-bg", TEXT, "document node"),
    ("text", "reference-bg", TEXT, "reference node"),
    ("text", "policy-bg", TEXT, "policy node"),
    ("text", "curated-bg", TEXT, "curated link node"),
    ("text", "heat-0", TEXT, "empty cell: it holds no text, checked in case a label ever overlaps it"),
    ("focus-ring", "bg", SHAPE, "focus ring on the page"),
    ("focus-halo", "header-bg", SHAPE, "focus halo in the header"),
    ("focus-ring", "claim-bg", SHAPE, "focus ring on a drawn node"),
    ("line", "bg", SHAPE, "form field and table borders"),
    ("line", "panel", SHAPE, "borders on panels"),
    ("edge", "bg", SHAPE, "trail edges"),
    ("claim-line", "bg", SHAPE, "claim node border"),
    ("quote-line", "bg", SHAPE, "quote node border"),
    ("document-line", "bg", SHAPE, "document node border"),
    ("reference-line", "bg", SHAPE, "reference node border"),
    ("policy-line", "bg", SHAPE, "policy node border"),
    ("curated-line", "bg", SHAPE, "curated link node border"),
    ("header-bg", "bg", SHAPE, "entity node and buttons against the page"),
    ("heat-4", "bg", SHAPE, "darkest cell"),
]


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_ratio_matches_known_values():
    assert round(ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(ratio("#767676", "#ffffff"), 2) == 4.54  # the classic lightest AA grey on white


@pytest.mark.parametrize("fg,bg,minimum,where", PAIRS, ids=[f"{p[0]}-on-{p[1]}" for p in PAIRS])
def test_pair_meets_wcag_aa(fg, bg, minimum, where):
    assert ratio(COLOURS[fg], COLOURS[bg]) >= minimum, where


def test_every_colour_is_a_checked_custom_property():
    used = {name for fg, bg, _, _ in PAIRS for name in (fg, bg)}
    assert set(COLOURS) <= used
    outside = CSS.replace(ROOT, "")
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b", outside) == []  # no colour hides outside :root
    assert re.findall(r"var\(--([a-z0-9-]+)\)", CSS) and set(
        re.findall(r"var\(--([a-z0-9-]+)\)", CSS)
    ) <= set(COLOURS)
