"""Big package sheets for the import benchmark, and the benchmark itself (`python -m bench.sheets`).

`package_sheet(rows)` writes the largest sheet the import accepts with entries down to row 4 + rows:
the free-text columns (Outcome, Added value, Contact, Resources) fill every row, and the columns
whose cells come from short lists hold each of their distinct entries once (12 assessments, 18
challenge ratings, 24 interventions and 13 measures, 45 skill level ranges), since a repeated entry
is refused. `full_grid(rows)` fills all eight columns to the last row, closed-list columns cycling,
as issue 20 measured the import before repeats were refused: it imports only with that check off.
"""

from __future__ import annotations

import io
import os
import time
from itertools import cycle, islice
from pathlib import Path

AREAS = [
    "motivation",
    "responsibilities and routines",
    "communication and interaction skills",
    "organisation and problem solving",
    "mobility and coordination",
    "environment",
]
TOOLS = ["ACIS", "Interest Checklist", "MOHOST", "MOHOST-SA", "OCAIRS", "OPHI-II", "OQ", "OSA"]
TOOLS += ["Role Checklist", "VQ", "WEIS", "WRI", "model of human occupation tools"]
TRUST = "Benchmark NHS Trust (synthetic)"


def _closed() -> dict[str, list[str]]:
    """Every distinct entry of the four columns whose cells come from lists."""
    return {
        "A": [f"{p}: {a}" for p in ("specific focus", "if need identified") for a in AREAS],
        "B": [f"{s}: {a}" for s in ("major", "moderate", "minor") for a in AREAS],
        "D": [str(n) for n in range(1, 25)] + [f"measure: {t}" for t in TOOLS],
        "F": [f"level {a}-{b}" if a != b else f"level {a}" for a in range(1, 10) for b in range(a, 10)],
    }


def _free(rows: int) -> dict[str, list[str]]:
    """Distinct entries for the free-text columns, `rows` of each."""
    heads = [*AREAS, "overall"]
    contact = [
        (
            f"pattern: weekly session plan {i}",
            f"duration: 1-{i + 2} months",
            f"hours: {i}-{i + 10}, average {i + 5}",
        )
        for i in range(1, rows + 1)
    ]
    return {
        "C": [f"{heads[i % len(heads)]}: improvement number {i}" for i in range(1, rows + 1)],
        "E": [f"{('service user', 'organisation')[i % 2]}: benefit number {i}" for i in range(1, rows + 1)],
        "G": [contact[i // 3][i % 3] for i in range(rows)],
        "H": [f"resource pack number {i}" for i in range(1, rows + 1)],
    }


def columns(rows: int = 500, full: bool = False) -> dict[str, list[str]]:
    """The cells of each column (letters A-H) from row 5 down."""
    closed = _closed()
    if full:
        closed = {k: list(islice(cycle(v), rows)) for k, v in closed.items()}
    else:
        closed = {k: v[:rows] for k, v in closed.items()}
    return dict(sorted({**closed, **_free(rows)}.items()))


def _xlsx(cells: dict[str, list[str]], trust: str, cluster: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Package"
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "Trust", trust, "Care cluster", cluster
    headers = ["Assessment", "Challenges", "Outcome", "Intervention", "Added value", "Skill/level", "Contact"]
    for i, header in enumerate([*headers, "Resources"], start=1):
        ws.cell(row=4, column=i, value=header)
    for col, texts in cells.items():
        for row, text in enumerate(texts, start=5):
            ws[f"{col}{row}"] = text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def package_sheet(rows: int = 500, full: bool = False, trust: str = TRUST, cluster: int = 2) -> bytes:
    """An XLSX package sheet `rows` deep (see the module docstring for what fills it)."""
    return _xlsx(columns(rows, full), trust, cluster)


def cell_count(rows: int = 500, full: bool = False) -> int:
    return sum(len(v) for v in columns(rows, full).values())


def time_import(data: bytes, store, ontology, checks: str, repeats: bool = True) -> tuple[float, float, int]:
    """Seconds one in-process import takes (read, layout, grammar, triples, checks), wall clock and
    CPU, and its triples."""
    from otkg.kg.pipeline import sheet_import
    from otkg.kg.pipeline.sheet_read import XLSX_TYPE

    saved = sheet_import._repeats
    if not repeats:  # the 4,000-cell grid repeats the closed-list columns
        sheet_import._repeats = lambda layout, readings: []
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        done = sheet_import.import_sheet(
            data, XLSX_TYPE, "bench.xlsx", TRUST, "2", store, ontology, slug="bench", checks=checks
        )
        return time.perf_counter() - t0, time.process_time() - c0, len(done.triples)
    finally:
        sheet_import._repeats = saved


def measure(rows: int = 500, reference: bool = True) -> list[dict]:
    """Import times in process, over the built graph: the largest valid sheet and the issue's full
    grid, each with the SPARQL checks the import runs and, as the reference, pyshacl's."""
    import pyoxigraph as ox
    from otkg.kg.pipeline import build as build
    from otkg.kg.store.seam import EmbeddedStore
    from otkg.kg.terms import load_ontology

    st = ox.Store()
    st.load(path=str(build.ensure_built() / "otkg.nq"), format=ox.RdfFormat.N_QUADS)
    store, ontology = EmbeddedStore(st), load_ontology()
    found = []
    for full in (False, True):
        data = package_sheet(rows, full)
        kinds = ("sparql", "shacl") if reference else ("sparql",)
        for checks in kinds:
            if checks == "sparql":  # a first run warms the caches (the compiled shapes)
                time_import(data, store, ontology, checks, repeats=not full)
            seconds, cpu, triples = time_import(data, store, ontology, checks, repeats=not full)
            found.append(
                {
                    "sheet": f"{rows} rows x 8 columns, "
                    + ("every cell (repeats)" if full else "largest valid"),
                    "cells": cell_count(rows, full),
                    "checks": "SPARQL (pyoxigraph)" if checks == "sparql" else "pyshacl (reference)",
                    "import_s": round(seconds, 2),
                    "cpu_s": round(cpu, 2),
                    "triples": triples,
                }
            )
    return found


def main() -> None:
    rows = int(os.environ.get("BENCH_SHEET_ROWS", 500))
    for r in measure(rows):
        print(
            f"{r['sheet']} ({r['cells']} cells), checks {r['checks']}: {r['import_s']} s "
            f"(CPU {r['cpu_s']} s), {r['triples']} triples"
        )
    if os.environ.get("BENCH_SHEET_OUT"):
        Path(os.environ["BENCH_SHEET_OUT"]).write_bytes(package_sheet(rows))


if __name__ == "__main__":
    main()
