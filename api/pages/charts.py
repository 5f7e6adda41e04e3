"""Charts across Trusts (issue 21, item 4): a cluster's packages compared, and a Trust's package
against the national one, drawn as SVG on the server from the rows of named queries.

Each drawing is one image (role="img", named by its <title> and <desc>); its numbers are in the
table the page puts beside it, which also carries the links, so no link sits inside an image. Every
bar says what it shows in data-* attributes (the browser tests compare them with the query's
answer). Colours are presentation attributes with at least 3:1 contrast on white; no script.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
LABEL_W, PLOT_W, RIGHT_W, PAD, ROW_H, TOP = 300, 300, 200, 10, 40, 30
LABEL_CHARS = 42  # 13 px type: about this many characters fit LABEL_W
BAR, TRACK, NATIONAL, NATIONAL_BAND, INK = "#1f5fa8", "#e8eaed", "#a34a00", "#fde7d9", "#1b1b1b"
# Severity fills, each under dark text (the stylesheet sets svg text's colour, over any fill given
# here) with at least 5.8:1 contrast, and told apart by their dark edges and the legend.
GRADES = (("major", "#e07b5f"), ("moderate", "#f4c27a"), ("minor", "#b9d3f0"), ("not rated", "#ffffff"))
ASPECTS = ("skill level", "duration", "contact time")  # the order the ranges are drawn in


def _a(**kw) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in kw.items())


def number(value: str | None) -> str:
    """A decimal as people write it: '24' for 24.0, '2.5' for 2.50; '' for none."""
    if value in (None, ""):
        return ""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _open(ident: str, width: float, height: float, title: str, desc: str) -> list[str]:
    size = _a(viewBox=f"0 0 {width:.0f} {height:.0f}", width=f"{width:.0f}", height=f"{height:.0f}")
    return [
        f'<svg xmlns="{SVG_NS}" {size} role="img" class="chart" {_a(id=ident)} '
        f"{_a(aria_labelledby=f'{ident}-title {ident}-desc')}>",
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, **kw) -> str:
    return f"<text {_a(x=f'{x:.1f}', y=f'{y:.1f}', **kw)}>{escape(text)}</text>"


def _label(y: float, label: str) -> str:
    """A row's label, right-aligned before the plot, over at most two lines (the full text in the
    table beside the chart)."""
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: LABEL_CHARS - 1].rstrip() + "…"]
    first = y + ROW_H / 2 + 4 - 8 * (len(lines) - 1)
    return "".join(
        _text(LABEL_W - 8, first + 16 * k, line, text_anchor="end") for k, line in enumerate(lines)
    )


# -- how many Trusts include each item ---------------------------------------------------------------
def coverage(rows: list[dict], aspect: str, ident: str) -> Markup | None:
    """One bar per intervention or measure: the share of the cluster's Trusts that include it, 'k of n
    Trusts' beside it, and a marker where the national package includes it."""
    rows = [r for r in rows if r["aspect"] == aspect]
    if not rows:
        return None
    of = int(rows[0]["ofTrusts"])
    noun = "interventions" if aspect == "intervention" else "measures"
    height = TOP + ROW_H * len(rows) + PAD
    desc = (
        f"Bar chart of {len(rows)} {noun}: for each, how many of the cluster's {of} Trusts include it "
        "in their package, and whether the national package does. The table after the chart gives the numbers."
    )
    out = _open(
        ident, LABEL_W + PLOT_W + RIGHT_W, height, f"How many Trusts include each of the {noun}", desc
    )
    out.append(_text(LABEL_W, 18, f"Trusts including it (of {of})", font_weight="700"))
    for i, r in enumerate(rows):
        y, n, national = TOP + i * ROW_H, int(r["trusts"]), r.get("inNational") == "true"
        label = f"{r['number']} {r['itemLabel']}" if r.get("number") else r["itemLabel"]
        width = PLOT_W * n / of if of else 0
        words = f"{n} of {of} Trust{'' if of == 1 else 's'}" + (", national" if national else "")
        data = _a(
            data_item=r["item"], data_trusts=str(n), data_of=str(of), data_national=str(national).lower()
        )
        out.append(f'<g class="bar" {data}><title>{escape(label)}: {escape(words)}</title>{_label(y, label)}')
        out.append(f"<rect {_a(x=LABEL_W, y=y + 10, width=PLOT_W, height=20, fill=TRACK)}/>")
        if width:
            out.append(f"<rect {_a(x=LABEL_W, y=y + 10, width=f'{width:.1f}', height=20, fill=BAR)}/>")
        out.append(_text(LABEL_W + PLOT_W + 8, y + 25, words))
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


# -- how Trusts grade each challenge -----------------------------------------------------------------
def severity_spread(rows: list[dict]) -> list[dict]:
    """The severity query's rows as one entry per challenge area: counts by grade, the Trusts that
    do not rate it, and the national grade."""
    areas: dict[str, dict] = {}
    for r in rows:
        area = areas.setdefault(
            r["challenge"],
            {
                "challenge": r["challenge"],
                "label": r["challengeLabel"],
                "of": int(r["ofTrusts"]),
                "national": r.get("nationalGrade", ""),
                "counts": {},
            },
        )
        area["counts"][r["severityLabel"]] = int(r["trusts"])
    for area in areas.values():
        area["counts"]["not rated"] = max(0, area["of"] - sum(area["counts"].values()))
    return list(areas.values())


def _legend(y: float) -> str:
    out, x = [], LABEL_W
    for grade, fill in GRADES:
        out.append(f"<rect {_a(x=x, y=y - 11, width=12, height=12, fill=fill, stroke=INK)}/>")
        out.append(_text(x + 16, y, grade))
        x += 16 + 8 * len(grade) + 18
    return "".join(out)


def severity(areas: list[dict], ident: str) -> Markup | None:
    """One stacked bar per challenge area: how many Trusts grade it major, moderate or minor and how
    many do not rate it, with the national grade beside it."""
    if not areas:
        return None
    height = TOP + 10 + ROW_H * len(areas) + PAD
    of = areas[0]["of"]
    desc = (
        f"Stacked bar chart of {len(areas)} challenge areas: for each, how many of the cluster's {of} Trusts "
        "grade it major, moderate or minor, how many do not rate it, and the national grade. "
        "The table after the chart gives the numbers."
    )
    out = _open(ident, LABEL_W + PLOT_W + RIGHT_W, height, "How Trusts grade each challenge area", desc)
    out.append(_legend(18))
    for i, area in enumerate(areas):
        y = TOP + 10 + i * ROW_H
        counts, total = area["counts"], max(1, sum(area["counts"].values()))
        national = f"national: {area['national']}" if area["national"] else "no national grade"
        spoken = ", ".join(f"{counts.get(g, 0)} {g}" for g, _ in GRADES)
        data = _a(
            data_challenge=area["challenge"],
            **{f"data_{g.replace(' ', '_')}": str(counts.get(g, 0)) for g, _ in GRADES},
        )
        out.append(f'<g class="bar" {data}><title>{escape(area["label"])}: {spoken}; {national}</title>')
        out.append(_label(y, area["label"]))
        x = float(LABEL_W)
        for grade, fill in GRADES:
            n = counts.get(grade, 0)
            if not n:
                continue
            w = PLOT_W * n / total
            out.append(
                f"<rect {_a(x=f'{x:.1f}', y=y + 8, width=f'{w:.1f}', height=24, fill=fill, stroke=INK)}/>"
            )
            out.append(_text(x + w / 2, y + 25, str(n), text_anchor="middle", font_weight="700"))
            x += w
        out.append(_text(LABEL_W + PLOT_W + 8, y + 25, national))
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


# -- skill level, duration and contact hours as ranges -----------------------------------------------
@dataclass(frozen=True)
class Span:
    """One package's figures for an aspect (None where its sheet gives none)."""

    package: str
    label: str
    national: bool
    low: float | None
    high: float | None
    average: float | None


def value_of(value: str | None) -> float | None:
    """A query's decimal as a float, or None where the row has none."""
    return float(value) if value not in (None, "") else None


def _step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if top / step <= 8:
            return step
    return top / 8


def _axis(aspect: str, spans: list[Span]) -> tuple[float, float, float]:
    """The axis' low end, high end and tick step: levels 1-9 for skill, from 0 otherwise."""
    if aspect == "skill level":
        return 1, 9, 1
    top = max((v for s in spans for v in (s.low, s.high, s.average) if v is not None), default=1)
    step = _step(top)
    return 0, step * -(-top // step), step


def _span_words(s: Span, unit: str) -> str:
    parts = []
    if s.low is not None and s.high is not None:
        parts.append(f"{number(str(s.low))} to {number(str(s.high))} {unit}")
    if s.average is not None:
        parts.append(f"average {number(str(s.average))}")
    return ", ".join(parts) or "no figures"


def ranges(aspect: str, unit: str, spans: list[Span], ident: str, subject: str) -> Markup | None:
    """One row per package: a bar from its low to its high, a dot at its average; the national
    range shaded behind every row (or its average as a dashed line where it gives only that)."""
    if not spans:
        return None
    lo, hi, step = _axis(aspect, spans)

    def x(v: float) -> float:
        return LABEL_W + PLOT_W * (v - lo) / (hi - lo)

    national = next((s for s in spans if s.national), None)
    height = TOP + 14 + ROW_H * len(spans) + 24
    bottom = TOP + 14 + ROW_H * len(spans)
    if national is None:
        marked = "no national package to mark"
    elif national.low is not None and national.high is not None:
        marked = f"the national range, {number(str(national.low))} to {number(str(national.high))}, shaded"
    else:
        marked = f"the national average, {number(str(national.average))}, as a dashed line"
    desc = (
        f"Range chart of {aspect} ({unit}) for {len(spans)} {subject}: a bar from each package's low to "
        f"its high, a dot at its average, {marked}. The table after the chart gives the numbers."
    )
    out = _open(ident, LABEL_W + PLOT_W + RIGHT_W, height, f"{aspect.capitalize()} ({unit}) by package", desc)
    out += _national_mark(national, x, bottom)
    for k in range(int((hi - lo) / step) + 1):
        v = lo + k * step
        out.append(f"<line {_a(x1=f'{x(v):.1f}', x2=f'{x(v):.1f}', y1=bottom, y2=bottom + 5, stroke=INK)}/>")
        out.append(_text(x(v), bottom + 18, number(str(v)), text_anchor="middle"))
    out.append(f"<line {_a(x1=LABEL_W, x2=LABEL_W + PLOT_W, y1=bottom, y2=bottom, stroke=INK)}/>")
    for i, s in enumerate(spans):
        out.append(_span_row(s, TOP + 14 + i * ROW_H, x, unit))
    out.append("</svg>")
    return Markup("\n".join(out))


def _national_mark(national: Span | None, x, bottom: float) -> list[str]:
    if national is None:
        return []
    if national.low is not None and national.high is not None:
        x1, x2 = x(national.low), x(national.high)
        label = f"national range {number(str(national.low))}–{number(str(national.high))}"
        return [
            f"<rect {_a(x=f'{x1:.1f}', y=TOP, width=f'{max(x2 - x1, 2):.1f}', height=bottom - TOP, fill=NATIONAL_BAND)}/>",
            *(
                f"<line {_a(x1=f'{v:.1f}', x2=f'{v:.1f}', y1=TOP, y2=bottom, stroke=NATIONAL, stroke_dasharray='5 3', stroke_width=2)}/>"
                for v in (x1, x2)
            ),
            _text(x1, TOP - 6, label, font_weight="700"),
        ]
    if national.average is not None:
        v = x(national.average)
        return [
            f"<line {_a(x1=f'{v:.1f}', x2=f'{v:.1f}', y1=TOP, y2=bottom, stroke=NATIONAL, stroke_dasharray='5 3', stroke_width=2)}/>",
            _text(
                v,
                TOP - 6,
                f"national average {number(str(national.average))}",
                font_weight="700",
            ),
        ]
    return []


def _span_row(s: Span, y: float, x, unit: str) -> str:
    words = _span_words(s, unit)
    data = _a(
        data_package=s.package,
        data_low=number(str(s.low)) if s.low is not None else "",
        data_high=number(str(s.high)) if s.high is not None else "",
        data_average=number(str(s.average)) if s.average is not None else "",
    )
    out = [f'<g class="bar" {data}><title>{escape(s.label)}: {escape(words)}</title>', _label(y, s.label)]
    colour = NATIONAL if s.national else BAR
    if s.low is not None and s.high is not None:
        x1, x2 = x(s.low), x(s.high)
        out.append(
            f"<rect {_a(x=f'{x1:.1f}', y=y + 13, width=f'{max(x2 - x1, 3):.1f}', height=14, fill=colour)}/>"
        )
    if s.average is not None:
        out.append(
            f"<circle {_a(cx=f'{x(s.average):.1f}', cy=y + 20, r=6, fill='#ffffff', stroke=colour, stroke_width=3)}/>"
        )
    out.append(_text(LABEL_W + PLOT_W + 8, y + 25, words))
    out.append("</g>")
    return "".join(out)
