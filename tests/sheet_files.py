"""Package sheets for the sheet import tests: the committed synthetic fixture, a small openpyxl
builder for variants of it, and the bad sheets each import must refuse at a named cell."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

SHEETS = Path(__file__).parent / "data" / "sheets"
FIXTURE_XLSX = SHEETS / "synthetic-trust-cluster-2.xlsx"
FIXTURE_CSV = SHEETS / "synthetic-trust-cluster-2.csv"
TRUST = "Synthetic Example NHS Trust (not real)"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
HEADERS = [
    "Assessment",
    "Challenges",
    "Outcome",
    "Intervention",
    "Added value",
    "Skill/level",
    "Contact",
    "Resources",
]
ENTRIES = {
    "A": [
        "specific focus: motivation",
        "specific focus: responsibilities and routines",
        "if need identified: environment",
    ],
    "B": [
        "moderate: motivation",
        "minor: responsibilities and routines",
        "minor: environment",
        "major: communication and interaction skills",
    ],
    "C": ["motivation: sets weekly activity goals", "overall: returns to work or study"],
    "D": [
        "1. Building self efficacy to engage in activity",
        "7. (Re) establishing productive / valued daily routines",
        "23. Vocational Enablement",
        "measure: OCAIRS",
        "measure: MOHOST",
    ],
    "E": ["organisation: fewer days of sick leave", "service user: more confidence at work"],
    "F": ["level 4-6"],
    "G": [
        "pattern: fortnightly one-hour sessions",
        "duration: 2-9 months, average 4",
        "hours: 10-30, average 24",
    ],
    "H": ["workbook and vocational resource pack"],
}


def workbook(
    cells: dict | None = None, merged: tuple = (), title: str = "Package", entries: dict = ENTRIES
) -> bytes:
    """The fixture's package as a plain workbook, with cells overridden (None clears one)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "Trust", TRUST, "Care cluster", 2
    for i, header in enumerate(HEADERS):
        ws.cell(row=4, column=i + 1, value=header)
    for col, texts in entries.items():
        for row, text in enumerate(texts, start=5):
            ws[f"{col}{row}"] = text
    for ref, value in (cells or {}).items():
        ws[ref] = value
    for ref in merged:
        ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_member(data: bytes, name: str, payload: bytes) -> bytes:
    """The workbook with one more zip member (a macro project, a huge part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, payload)
    return out.getvalue()


def cell_texts(data: bytes) -> dict[str, str]:
    """Every non-empty cell of sheet 'Package' re-read from the file, as the import quotes it."""
    ws = load_workbook(io.BytesIO(data))["Package"]
    return {c.coordinate: str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}


def _csv_latin1() -> bytes:
    return FIXTURE_CSV.read_bytes().replace(b"workbook and", "caf\u00e9 workbook and".encode("latin-1"))


# (case, body, media type, cluster asked for, (sheet, row, column) of the first problem, words in its message)
BAD_SHEETS = [
    ("not a zip", b"Trust,x\nnot really a workbook", XLSX, "2", (None, None, None), "zip"),
    ("truncated zip", FIXTURE_XLSX.read_bytes()[:3000], XLSX, "2", (None, None, None), "not"),
    (
        "zip bomb",
        with_member(workbook(), "xl/media/huge.bin", b"\0" * 60_000_000),
        XLSX,
        "2",
        (None, None, None),
        "zip bomb",
    ),
    ("macros", with_member(workbook(), "xl/vbaProject.bin", b"VBA"), XLSX, "2", (None, None, None), "macros"),
    ("formula", workbook({"D6": "=1+6"}), XLSX, "2", ("Package", 6, "D"), "formula"),
    ("merged cells", workbook(merged=("A5:B5",)), XLSX, "2", ("Package", 5, "A"), "merged"),
    ("no Package sheet", workbook(title="Sheet1"), XLSX, "2", ("Package", None, None), "no sheet named"),
    ("misspelled header", workbook({"C4": "Outcomes"}), XLSX, "2", ("Package", 4, "C"), "unknown header"),
    ("missing header", workbook({"G4": None}), XLSX, "2", ("Package", 4, "G"), "missing header"),
    ("empty package", workbook(entries={}), XLSX, "2", ("Package", 5, "A"), "no entries"),
    (
        "unknown intervention",
        workbook({"D6": "25. Gardening"}),
        XLSX,
        "2",
        ("Package", 6, "D"),
        "intervention number 25",
    ),
    (
        "unknown MOHO tool",
        workbook({"D8": "measure: FOO"}),
        XLSX,
        "2",
        ("Package", 8, "D"),
        "unknown MOHO tool",
    ),
    (
        "unknown challenge area",
        workbook({"A5": "specific focus: sleep"}),
        XLSX,
        "2",
        ("Package", 5, "A"),
        "unknown challenge area",
    ),
    (
        "unknown severity",
        workbook({"B6": "severe: motivation"}),
        XLSX,
        "2",
        ("Package", 6, "B"),
        "unknown severity",
    ),
    (
        "unknown priority",
        workbook({"A7": "urgent: environment"}),
        XLSX,
        "2",
        ("Package", 7, "A"),
        "unknown priority",
    ),
    ("level 0", workbook({"F5": "level 0"}), XLSX, "2", ("Package", 5, "F"), "no Skills for Health level 0"),
    ("level 10", workbook({"F5": "level 5-10"}), XLSX, "2", ("Package", 5, "F"), "level 10"),
    ("level 5-3", workbook({"F5": "5-3"}), XLSX, "2", ("Package", 5, "F"), "above"),
    ("level five", workbook({"F5": "level five"}), XLSX, "2", ("Package", 5, "F"), "level"),
    (
        "duration min > max",
        workbook({"G6": "duration: 9-2 months"}),
        XLSX,
        "2",
        ("Package", 6, "G"),
        "more than",
    ),
    ("negative hours", workbook({"G7": "hours: -5-30"}), XLSX, "2", ("Package", 7, "G"), "not negative"),
    (
        "duration in words",
        workbook({"G6": "duration: two to nine months"}),
        XLSX,
        "2",
        ("Package", 6, "G"),
        "expected",
    ),
    ("wrong cluster", workbook(), XLSX, "3", ("Package", 2, "B"), "wrong cluster"),
    ("missing trust", workbook({"B1": None}), XLSX, "2", ("Package", 1, "B"), "missing trust"),
    (
        "date cell",
        workbook({"H6": dt.datetime(2024, 5, 6)}),
        XLSX,
        "2",
        ("Package", 6, "H"),
        "not text or a number",
    ),
    ("over-long cell", workbook({"H6": "x" * 2001}), XLSX, "2", ("Package", 6, "H"), "2001 characters"),
    (
        "too many rows",
        workbook({"H505": "one row too many"}),
        XLSX,
        "2",
        ("Package", 505, "H"),
        "500 entry rows",
    ),
    (
        "far-away cell",
        workbook({"XFD1048576": "x"}),
        XLSX,
        "2",
        ("Package", 1048576, "XFD"),
        "500 entry rows",
    ),
    ("csv not utf-8", _csv_latin1(), CSV, "2", ("csv", 5, None), "not UTF-8"),
    (
        "csv unknown area",
        FIXTURE_CSV.read_bytes().replace(b"minor: environment", b"minor: weather"),
        CSV,
        "2",
        ("csv", 7, "B"),
        "unknown challenge area",
    ),
]
