"""Care cluster x intervention and care cluster x outcome heatmaps, from the matrix catalogue queries.

A cell counts the care packages (national and Trusts') linking the two (queries/cluster-*-matrix.rq); a non-empty
cell links to its evidence, listed under the drawings. Empty graphs say so: nothing is invented.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from .. import service
from ..errors import Problem
from ..execution import Reads
from . import evidence, svg
from .render import page
from .terms import label_of

MAX_COLUMNS = 60  # outcomes are local and many: the most linked ones are drawn, the table lists all
KINDS = {
    "intervention": {
        "query": "cluster-intervention-matrix",
        "column": "intervention",
        "label": "interventionLabel",
        "title": "Care clusters × interventions",
        "noun": "intervention",
    },
    "outcome": {
        "query": "cluster-outcome-matrix",
        "column": "outcome",
        "label": "outcomeLabel",
        "title": "Care clusters × outcomes",
        "noun": "outcome",
    },
}


def _column_label(kind: str, row: dict) -> str:
    spec = KINDS[kind]
    return f"{row['number']} {row[spec['label']]}" if kind == "intervention" else row[spec["label"]]


async def grid(reads: Reads, kind: str, clusters: dict[str, str]) -> dict:
    """Rows, columns and non-empty cells of one matrix; `clusters` (IRI -> label) are the rows."""
    spec = KINDS[kind]
    cols: dict[str, str] = {}  # column IRI -> its label
    cells: dict[tuple[str, str], dict] = {}  # (cluster, column) -> what the cell shows
    for r in (await service.catalogue_rows(reads, spec["query"]))[0]:
        clusters.setdefault(r["cluster"], f"{r['code']} {r['clusterLabel']}")
        cols.setdefault(r[spec["column"]], _column_label(kind, r))
        if int(r["packages"]):
            links = sorted(
                tuple(line.split(" ", 1)) for line in r.get("links", "").splitlines() if " " in line
            )
            cells[(r["cluster"], r[spec["column"]])] = {
                "cluster": r["cluster"],
                "column": r[spec["column"]],
                "packages": int(r["packages"]),
                "claims": int(r["claims"]),
                "links": links,
                "href": "/matrix?"
                + urlencode({"kind": kind, "cluster": r["cluster"], "column": r[spec["column"]]})
                + "#evidence",
            }
    if kind == "outcome" and len(cols) > MAX_COLUMNS:
        weight = {c: sum(v["packages"] for (_, col), v in cells.items() if col == c) for c in cols}
        keep = set(sorted(cols, key=lambda c: (-weight[c], cols[c]))[:MAX_COLUMNS])
        shown = {c: label for c, label in cols.items() if c in keep}
    else:
        shown = cols
    return {"kind": kind, **spec, "columns": cols, "shown": shown, "cells": cells}


def _drawing(g: dict, clusters: dict[str, str]):
    if not g["cells"]:
        return None
    cells = {
        key: svg.Cell(
            c["packages"],
            f"{clusters[c['cluster']]} × {g['columns'][c['column']]}: "
            f"{c['packages']} care package(s), {c['claims']} supporting claim(s)",
            c["href"],
        )
        for key, c in g["cells"].items()
    }
    desc = (
        f"Heatmap of {len(clusters)} care clusters (rows) by {len(g['shown'])} {g['noun']}s (columns); "
        f"{len(cells)} cells hold links. The table after the drawing lists every non-empty cell."
    )
    return svg.heatmap(
        list(clusters.items()), list(g["shown"].items()), cells, f"matrix-{g['kind']}", g["title"], desc
    )


async def _selected(
    reads: Reads, grids: dict, kind: str | None, cluster: str | None, column: str | None
) -> dict | None:
    if not (kind or cluster or column):
        return None
    cell = grids[kind]["cells"].get((cluster, column)) if kind in grids else None
    if cell is None:
        raise Problem(404, "Not found", "no care package links that cluster and column; see /matrix")
    labels = reads.services.search.labels
    pairs = [
        {
            "package": p,
            "element": e,
            "package_label": label_of(p, labels),
            "element_label": label_of(e, labels),
            "found": await evidence.chain(reads, e, 160),
        }
        for p, e in cell["links"][:50]
    ]
    return {**cell, "kind": kind, "pairs": pairs, "more": max(0, len(cell["links"]) - 50)}


async def matrix(request: Request, kind: str | None, cluster: str | None, column: str | None) -> HTMLResponse:
    """Both heatmaps, their tables, and the evidence of one chosen cell."""
    reads = Reads(request, request.app.state.settings.read_deadline)
    clusters: dict[str, str] = {}
    grids = {k: await grid(reads, k, clusters) for k in KINDS}
    drawings = {k: _drawing(g, clusters) for k, g in grids.items()}
    return page(
        request,
        "matrix.html",
        grids=grids,
        drawings=drawings,
        clusters=clusters,
        selected=await _selected(reads, grids, kind, cluster, column),
    )
