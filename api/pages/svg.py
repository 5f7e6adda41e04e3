"""Server-side SVG drawings: the evidence trail (a layered graph) and the cluster heatmaps.

Plain SVG text, every value escaped, colours from CSS classes (static/style.css), every node a link
with a <title>. No script: the drawings work without JavaScript and under a strict CSP.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

from .terms import distinct_cuts

# Trail boxes: fixed width, text wrapped at CHARS a line (HEAD_CHARS in bold; a browser test measures
# that 12 px type fits), at most MAX_LINES lines, each box as tall as its text, GAP apart in a column.
NODE_W, COL_W, TOP, PAD, GAP = 200, 222, 44, 12, 10
CHARS, HEAD_CHARS, MAX_LINES, LINE_H, INSET = 26, 23, 4, 15, 8
NODE_H = 2 * INSET + LINE_H  # a one-line box
# Heatmaps: a row's label is drawn whole (its code right-aligned in a column of its own, so that
# '21' can never lose its '2' to the edge), a column's cut at COL_CHARS (longer where two cuts would
# read alike) and turned TURN degrees; CHAR_W is the widest a 13 px character averaged in Chromium's
# sans-serif here (7.1 px), so the drawing's size holds every label.
CELL, COL_CHARS, CHAR_W, CODE_W, TURN = 22, 34, 7.2, 22, 70
SIN, COS = math.sin(math.radians(TURN)), math.cos(math.radians(TURN))
SVG_NS = "http://www.w3.org/2000/svg"
HEAT_BINS = (1, 2, 3, 6)  # a count reaching bin k's lower bound gets class heat-(k+1)


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # entity, claim, curated, quote, document, reference, policy
    column: int
    label: str  # lines of text; its first line ("\n" ends it) is the box's heading
    title: str
    href: str


@dataclass(frozen=True)
class Cell:
    count: int
    title: str
    href: str


def _attrs(**kw) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in kw.items())


def _open(width: float, height: float, ident: str, title: str, desc: str) -> list[str]:
    size = _attrs(viewBox=f"0 0 {width:.0f} {height:.0f}", width=f"{width:.0f}", height=f"{height:.0f}")
    return [
        f'<svg xmlns="{SVG_NS}" {size} {_attrs(aria_labelledby=f"{ident}-title {ident}-desc")}>',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(desc)}</desc>',
    ]


def lines(label: str) -> list[tuple[str, bool]]:
    """A box's text as (line, is_heading): its first "\n"-separated part is the heading, wrapped at
    HEAD_CHARS (bold runs wider), each other part at CHARS; cut to MAX_LINES, the last line then
    ending in an ellipsis."""
    out = [
        (w, k == 0)
        for k, part in enumerate(label.split("\n"))
        for w in textwrap.wrap(" ".join(part.split()), HEAD_CHARS if k == 0 else CHARS) or [""]
    ]
    if len(out) > MAX_LINES:
        last, head = out[MAX_LINES - 1]
        cut = last[: (HEAD_CHARS if head else CHARS) - 1].rstrip(" …") + "…"
        out = [*out[: MAX_LINES - 1], (cut, head)]
    return out


def _height(n: Node) -> float:
    return 2 * INSET + LINE_H * len(lines(n.label))


def _place(nodes: list[Node], edges: list[tuple[str, str]]) -> dict[str, float]:
    """Top y of each node: evidence first in order, then every other column centred near its
    neighbours' mean, never closer than GAP to the box above."""
    near: dict[str, set[str]] = {n.id: set() for n in nodes}
    for a, b in edges:
        near[a].add(b)
        near[b].add(a)
    heights = {n.id: _height(n) for n in nodes}
    mids: dict[str, float] = {}
    tops: dict[str, float] = {}
    for col in [1, 0, *range(2, 1 + max((n.column for n in nodes), default=0))]:
        column = [n for n in nodes if n.column == col]
        wanted: list[tuple[float, int, str]] = []
        for i, n in enumerate(column):
            placed = [mids[m] for m in near[n.id] if m in mids]
            wanted.append((sum(placed) / len(placed) if placed else TOP + i * (NODE_H + GAP), i, n.id))
        bottom: float = TOP - GAP
        for want, _, ident in sorted(wanted):
            top = max(want - heights[ident] / 2, bottom + GAP)
            tops[ident], mids[ident] = top, top + heights[ident] / 2
            bottom = top + heights[ident]
    return tops


def _box(n: Node, x: float, y: float, h: float) -> str:
    baseline = y + INSET + 11  # 12 px type: its baseline about 11 px under the line's top
    text = "".join(
        f"<tspan {_attrs(x=x + INSET, y=f'{baseline + k * LINE_H:.0f}', class_='head' if head else 'line')}>"
        f"{escape(line)}</tspan>"
        for k, (line, head) in enumerate(lines(n.label))
    )
    return (
        f"<a {_attrs(href=n.href, class_=f'node node-{n.kind}')}><title>{escape(n.title)}</title>"
        f"<rect {_attrs(x=x, y=f'{y:.0f}', width=NODE_W, height=f'{h:.0f}', rx=4)}/><text>{text}</text></a>"
    )


def trail(
    nodes: list[Node], edges: list[tuple[str, str]], headings: list[str], title: str, desc: str
) -> Markup:
    """The evidence trail as columns of linked boxes joined by curves, left to right."""
    ys = _place(nodes, edges)
    hs = {n.id: _height(n) for n in nodes}
    cols = {n.id: n.column for n in nodes}
    width = PAD * 2 + COL_W * (len(headings) - 1) + NODE_W
    height = max((ys[n] + hs[n] for n in ys), default=TOP) + PAD
    out = _open(width, height, "trail", title, desc)
    for i, heading in enumerate(headings):
        out.append(f'<text class="axis-title" {_attrs(x=PAD + i * COL_W, y=22)}>{escape(heading)}</text>')
    for a, b in edges:
        if cols[a] > cols[b]:
            a, b = b, a
        x1, y1 = PAD + cols[a] * COL_W + NODE_W, ys[a] + hs[a] / 2
        x2, y2 = PAD + cols[b] * COL_W, ys[b] + hs[b] / 2
        mid = (x1 + x2) / 2
        curve = f"M{x1:.0f} {y1:.0f} C{mid:.0f} {y1:.0f} {mid:.0f} {y2:.0f} {x2:.0f} {y2:.0f}"
        out.append(f'<path class="edge" d="{curve}"/>')
    out += [_box(n, PAD + n.column * COL_W, ys[n.id], hs[n.id]) for n in nodes]
    out.append("</svg>")
    return Markup("\n".join(out))


def heat_class(count: int) -> str:
    """heat-0 for an empty cell, heat-1 .. heat-4 by the bins in HEAT_BINS."""
    return f"heat-{sum(count >= b for b in HEAT_BINS)}"


def heatmap(
    rows: list[tuple[str, str]],
    cols: list[tuple[str, str]],
    cells: dict[tuple[str, str], Cell],
    ident: str,
    title: str,
    desc: str,
) -> Markup:
    """Rows x columns of cells; a non-empty cell shows its count and links to its evidence."""
    codes = [label.split(" ", 1) if label[:1].isdigit() else ["", label] for _, label in rows]
    left = PAD + CODE_W + 8 + CHAR_W * max((len(name) for _, name in codes), default=0) + 10
    cuts = distinct_cuts([label for _, label in cols], COL_CHARS)
    head = 16 + SIN * CHAR_W * max((len(c) for c in cuts), default=0)
    right = max((left + (j + 1) * CELL + COS * CHAR_W * len(c) for j, c in enumerate(cuts)), default=left)
    width, height = right + PAD + 8, head + CELL * len(rows) + PAD
    out = _open(width, height, ident, title, desc)
    for j, ((_, label), cut) in enumerate(zip(cols, cuts, strict=True)):
        x = left + j * CELL + CELL / 2 + 4
        turn = _attrs(transform=f"translate({x:.0f} {head - 6:.0f}) rotate(-{TURN})")
        out.append(f"<g><title>{escape(label)}</title><text {turn}>{escape(cut)}</text></g>")
    for i, ((row_iri, label), (code, name)) in enumerate(zip(rows, codes, strict=True)):
        y = head + i * CELL
        at_code = _attrs(x=PAD + CODE_W, y=y + 16, text_anchor="end", class_="row-code")
        at_name = _attrs(x=PAD + CODE_W + 8, y=y + 16, class_="row-name")
        out.append(
            f'<g class="row-label"><title>{escape(label)}</title><text {at_code}>{escape(code)}</text>'
            f"<text {at_name}>{escape(name)}</text></g>"
        )
        for j, (col_iri, _) in enumerate(cols):
            x, cell = left + j * CELL, cells.get((row_iri, col_iri))
            if cell is None or cell.count == 0:
                out.append(
                    f'<rect class="heat-0" {_attrs(x=x + 1, y=y + 1, width=CELL - 2, height=CELL - 2)}/>'
                )
                continue
            heat = heat_class(cell.count)
            light = " cell-light" if heat in ("heat-3", "heat-4") else ""
            out.append(
                f"<a {_attrs(href=cell.href, class_='cell' + light)}><title>{escape(cell.title)}</title>"
                f"<rect {_attrs(class_=heat, x=x + 1, y=y + 1, width=CELL - 2, height=CELL - 2)}/>"
                f"<text {_attrs(x=x + CELL / 2, y=y + 16)}>{cell.count}</text></a>"
            )
    out.append("</svg>")
    return Markup("\n".join(out))
