"""A care cluster's packages across Trusts, and a Trust's package against the national one (issue
21, item 4): the rows of the named queries behind each chart, shaped for the page's tables, and the
charts drawn from the same rows (api/pages/charts.py)."""

from __future__ import annotations

from ...kg.query.query_service import MAX_LIMIT
from .. import service
from . import charts

QUERIES = {  # what the cluster page shows -> the named query behind it
    "side": "cluster-packages-side-by-side",
    "coverage": "cluster-item-coverage",
    "severity": "cluster-challenge-severity",
    "ranges": "cluster-package-ranges",
}


async def _rows(reads, name: str, **params: str) -> list[dict[str, str]]:
    return (await service.catalogue_rows(reads, name, MAX_LIMIT, **params))[0]


def _name(r: dict) -> str:
    """How a package is named in a column head or a chart row: the national package, or its Trust."""
    return "national package" if r["kind"] == "national" else r.get("providerLabel") or r["label"]


def side_by_side(rows: list[dict]) -> dict:
    """One column per package (national first), one row per item; a cell holds the package's grade
    for a challenge area, 'yes' for an intervention or measure it includes, or nothing."""
    packages: dict[str, dict] = {}
    items: dict[tuple[str, str], dict] = {}
    for r in rows:
        packages.setdefault(r["package"], {"package": r["package"], "name": _name(r), "kind": r["kind"]})
        label = f"{r['number']} {r['itemLabel']}" if r.get("number") else r["itemLabel"]
        item = items.setdefault(
            (r["aspect"], r["item"]), {"aspect": r["aspect"], "item": r["item"], "label": label, "cells": {}}
        )
        item["cells"][r["package"]] = r.get("grade") or "yes"
    order = sorted(packages.values(), key=lambda p: (p["kind"] != "national", p["name"], p["package"]))
    return {
        "packages": order,
        "rows": [{**i, "cells": [i["cells"].get(p["package"], "") for p in order]} for i in items.values()],
    }


def spans(rows: list[dict], aspect: str) -> list[charts.Span]:
    """The range query's rows for one aspect as chart rows."""
    return [
        charts.Span(
            r["package"],
            _name(r),
            r["kind"] == "national",
            charts.value_of(r.get("low")),
            charts.value_of(r.get("high")),
            charts.value_of(r.get("average")),
        )
        for r in rows
        if r["aspect"] == aspect
    ]


def _range_tables(rows: list[dict], subject: str, prefix: str) -> list[dict]:
    out = []
    for aspect in charts.ASPECTS:
        mine = [r for r in rows if r["aspect"] == aspect]
        if mine:
            drawing = charts.ranges(
                aspect, mine[0]["unit"], spans(rows, aspect), f"{prefix}-{aspect.replace(' ', '-')}", subject
            )
            table = [{**r, **{k: charts.number(r.get(k)) for k in ("low", "high", "average")}} for r in mine]
            out.append({"aspect": aspect, "unit": mine[0]["unit"], "rows": table, "drawing": drawing})
    return out


async def cluster(reads, iri: str) -> dict | None:
    """Everything the cluster page compares, or None when no Trust has a package for the cluster."""
    coverage = await _rows(reads, QUERIES["coverage"], cluster=iri)
    if not coverage or coverage[0]["ofTrusts"] == "0":
        return None
    severity = charts.severity_spread(await _rows(reads, QUERIES["severity"], cluster=iri))
    return {
        "trusts": int(coverage[0]["ofTrusts"]),
        "queries": QUERIES,
        "side": side_by_side(await _rows(reads, QUERIES["side"], cluster=iri)),
        "coverage": coverage,
        "coverage_drawings": {
            aspect: charts.coverage(coverage, aspect, f"coverage-{aspect}")
            for aspect in ("intervention", "measure")
        },
        "severity": severity,
        "severity_drawing": charts.severity(severity, "severity"),
        "ranges": _range_tables(await _rows(reads, QUERIES["ranges"], cluster=iri), "packages", "range"),
    }


def package_ranges(rows: list[dict]) -> list[dict]:
    """A Trust's skill level, duration and contact hours beside the national range, from the rows
    of package-ranges-vs-national: a bar for the national package, one for the Trust's."""
    out = []
    for aspect in charts.ASPECTS:
        r = next((r for r in rows if r["aspect"] == aspect), None)
        if r is None:
            continue
        pair = [
            charts.Span(
                "national",
                "national package",
                True,
                *(charts.value_of(r.get(f"national{k}")) for k in ("Low", "High", "Average")),
            ),
            charts.Span(
                "local",
                "this package",
                False,
                *(charts.value_of(r.get(f"local{k}")) for k in ("Low", "High", "Average")),
            ),
        ]
        ident = f"package-range-{aspect.replace(' ', '-')}"
        out.append(
            {
                "aspect": aspect,
                "row": r,
                "drawing": charts.ranges(
                    aspect, r["unit"], pair, ident, "packages, this one and the national"
                ),
            }
        )
    return out
