"""Read a Trust's package spreadsheet (XLSX or CSV) into a plain grid of cell texts, safely.

First step of a sheet import (kg.pipeline.sheet_import): nothing here knows the package layout; it only
refuses files that are unsafe or not plain data (zip bombs, macros, formulas, merged cells, dates,
over-long cells, too many rows) and says where, so the next steps see text only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import NoReturn

from defusedxml.ElementTree import iterparse

MAX_FILE_BYTES = 10_000_000
MAX_UNZIPPED_BYTES = 50_000_000  # the sum of the members' sizes; zipfile never reads past them
MAX_MEMBERS = 2_000
MAX_CELL_CHARS = 2_000
MAX_ROW = 504  # header rows 1-4, then at most 500 entry rows
MAX_COLUMN = 8  # A..H: the package area
PACKAGE_SHEET = "Package"
CSV_SHEET = "csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a sheet, and where: any of sheet, row, column may be unknown (None)."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    text: str | None = None  # the cell's own text, where the problem is a cell's

    @property
    def cell(self) -> str | None:
        return f"{self.column}{self.row}" if self.column and self.row else None

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "text": self.text,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (
                f"sheet '{self.sheet}'" if self.sheet else "",
                f"row {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            )
            if p
        )
        return f"{where or 'file'}: {self.message}"


class SheetError(ValueError):
    """A sheet that cannot be imported; `problems` says what and where (all that were found)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


@dataclass
class Grid:
    """The package area of one sheet: (row, column number) -> the cell's text as stored."""

    sheet: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)


def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _fail(sheet, row, col, message) -> NoReturn:
    raise SheetError([Problem(sheet, row, column_letter(col) if col else None, message)])


def _text(value, sheet: str, row: int, col: int) -> str | None:
    """A cell's value as text; None for an empty cell. Only text and numbers are data."""
    if value is None:
        return None
    if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
        _fail(sheet, row, col, f"a {type(value).__name__} is not text or a number: write it as text")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 7.0 read back from a number cell is the 7 that was typed
    if not isinstance(value, (str, int, float)):
        _fail(sheet, row, col, "the cell is not text or a number")
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        _fail(sheet, row, col, f"the cell holds {len(text)} characters; at most {MAX_CELL_CHARS}")
    return text if text.strip() else None


def _place(grid: Grid, row: int, col: int, text: str | None) -> None:
    if text is None:
        return
    if row > MAX_ROW:
        _fail(grid.sheet, row, col, f"more than {MAX_ROW - 4} entry rows (rows 5 to {MAX_ROW})")
    if col > MAX_COLUMN:
        _fail(grid.sheet, row, col, "a cell outside the 8 package columns A to H")
    grid.cells[(row, col)] = text


# -- XLSX -------------------------------------------------------------------------------------
def _check_archive(zf: zipfile.ZipFile) -> None:
    members = zf.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        _fail(
            None,
            None,
            None,
            f"the workbook unpacks to more than {MAX_UNZIPPED_BYTES // 1_000_000} MB (a zip bomb?)",
        )
    names = {m.filename.lower() for m in members}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        _fail(None, None, None, "not an XLSX workbook (no xl/workbook.xml)")
    types = zf.read("[Content_Types].xml")
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        _fail(None, None, None, "the workbook holds macros (.xlsm); save it as a plain .xlsx")


def _merged_ranges(zf: zipfile.ZipFile, member: str) -> list[str]:
    """The merged ranges of a worksheet, read from its XML (openpyxl's read-only mode skips them)."""
    ranges = []
    with zf.open(member.lstrip("/")) as f:
        for _, elem in iterparse(f):
            if elem.tag == MAIN_NS + "mergeCell":
                ranges.append(elem.get("ref", ""))
            elem.clear()  # keep memory flat on a large sheet
    return ranges


def _check_merged(zf: zipfile.ZipFile, member: str) -> None:
    from openpyxl.utils.cell import range_boundaries

    for ref in _merged_ranges(zf, member):
        min_col, min_row, _, _ = range_boundaries(ref)
        if min_col <= MAX_COLUMN and min_row <= MAX_ROW:
            _fail(PACKAGE_SHEET, min_row, min_col, f"merged cells ({ref}) in the package area: unmerge them")


def read_xlsx(data: bytes) -> Grid:
    """The 'Package' sheet of a workbook; SheetError for anything unsafe or not plain data."""
    import openpyxl  # with defusedxml installed, openpyxl parses every part of the file safely

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        _check_archive(zf)
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        _fail(None, None, None, "not an XLSX workbook (not a valid zip archive)")
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged part; all mean the same here
        _fail(None, None, None, f"the workbook could not be read ({type(exc).__name__})")
    try:
        if PACKAGE_SHEET not in wb.sheetnames:
            _fail(
                PACKAGE_SHEET,
                None,
                None,
                f"no sheet named '{PACKAGE_SHEET}' (sheets: {', '.join(wb.sheetnames)})",
            )
        ws = wb[PACKAGE_SHEET]
        _check_merged(zf, ws._worksheet_path)
        # Ignore the stated dimension: a sheet claiming A1:XFD1048576 would otherwise be padded
        # with empty cells to that size, billions of them.
        ws.reset_dimensions()
        grid = Grid(PACKAGE_SHEET)
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "value", None) is None:
                    continue
                if cell.data_type == "f":
                    _fail(PACKAGE_SHEET, cell.row, cell.column, "a formula: type the value itself")
                if cell.data_type == "e":
                    _fail(PACKAGE_SHEET, cell.row, cell.column, "an error value")
                _place(grid, cell.row, cell.column, _text(cell.value, PACKAGE_SHEET, cell.row, cell.column))
        return grid
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - as for opening it: any damage means the same
        _fail(PACKAGE_SHEET, None, None, f"the sheet could not be read ({type(exc).__name__})")
    finally:
        wb.close()


# -- CSV --------------------------------------------------------------------------------------
def read_csv(data: bytes) -> Grid:
    """The same grid from a CSV file (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _fail(CSV_SHEET, line, None, f"the file is not UTF-8 (byte {exc.start}): save it as CSV UTF-8")
    grid = Grid(CSV_SHEET)
    reader = csv.reader(io.StringIO(text, newline=""))
    row = 0
    try:
        for row, values in enumerate(reader, start=1):
            for col, value in enumerate(values, start=1):
                if value.lstrip().startswith("="):  # what a spreadsheet would run as a formula
                    _fail(CSV_SHEET, row, col, "a formula: type the value itself")
                _place(grid, row, col, _text(value, CSV_SHEET, row, col))
    except csv.Error as exc:
        _fail(CSV_SHEET, row + 1, None, f"not valid CSV: {exc}")
    return grid


def read(data: bytes, media_type: str) -> Grid:
    """Dispatch on the media type (XLSX_TYPE or CSV_TYPE); refuses files over 10 MB."""
    if len(data) > MAX_FILE_BYTES:
        _fail(None, None, None, f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    return read_csv(data) if media_type == CSV_TYPE else read_xlsx(data)
