"""Write package sheets in the import layout: the blank template, an export, or a CSV of the same grid.

The other end of kg.pipeline.sheet_read: a workbook written here imports unchanged. The template and every
export carry an Instructions sheet (layout, cell grammar, allowed words from the graph) and
drop-down lists where Excel can offer them cheaply.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from .sheet_layout import COLUMNS, FIRST_ENTRY_ROW, HEADER_ROW
from .sheet_read import MAX_ROW, PACKAGE_SHEET, column_letter
from .sheet_vocab import Vocabulary

GRAMMAR = [
    ("Assessment", "<priority>: <challenge area>", "specific focus: motivation"),
    ("Challenges", "<severity>: <challenge area>", "moderate: motivation"),
    (
        "Outcome",
        "<challenge area or 'overall'>: <specific improvements>",
        "motivation: sets weekly activity goals",
    ),
    (
        "Intervention",
        "<n> or <n>. <any text> (n = intervention 1 to 24), or measure: <MOHO tool>",
        "7. (Re) establishing productive / valued daily routines; measure: OCAIRS",
    ),
    ("Added value", "service user: <text> or organisation: <text>", "organisation: fewer days of sick leave"),
    ("Skill/level", "level <a>-<b> or <a>-<b> or level <a> (Skills for Health levels 1 to 9)", "level 4-6"),
    (
        "Contact",
        "pattern: <text>; duration: <a>-<b> months[, average <c>] or duration: average <c> months; "
        "hours: <a>-<b>[, average <c>] or hours: average <c>",
        "duration: 2-9 months, average 4",
    ),
    ("Resources", "any text", "workbook and vocational resource pack"),
]
LAYOUT = [
    "Fill in the sheet 'Package' (keep its name). B1: the Trust's name. "
    "B2: the care cluster (pick it from the list, or type its code, e.g. 2).",
    "Row 4 holds the eight column headers in the published sheet's order; do not change them.",
    "From row 5 down (at most 500 rows): one entry per cell, in the column it belongs to, in order.",
    "Cells hold text or numbers only: no formulas, no merged cells, no dates, at most 2,000 characters.",
    "Words are matched without regard to case; spaces around them are ignored.",
]


# Excel shows at most 32 characters of an input prompt's title and 255 of its text.
PROMPT_TITLE_CHARS, PROMPT_CHARS = 32, 255
HEADING_PROMPTS = {
    "B1": ("Trust", "The Trust's name, as you give it when you import the sheet (e.g. Synthetic NHS Trust)."),
    "B2": (
        "Care cluster",
        "Pick the care cluster from the list ('2. <its name>'), or type its code (e.g. 2).",
    ),
}


def _lists(vocab: Vocabulary) -> dict[str, list[str]]:
    """Whole-cell choices for the cells whose text comes from short lists: B2 and four columns. The
    numbered lists show each number with its name ('4. Re-motivation process'), which imports as 4."""
    areas = vocab.allowed("area")
    levels = sorted(vocab.numbers.get("level", {}))
    return {
        "cluster": vocab.numbered("cluster"),
        "assessment": [f"{p}: {a}" for p in vocab.allowed("priority") for a in areas],
        "challenges": [f"{s}: {a}" for s in vocab.allowed("severity") for a in areas],
        "intervention": vocab.numbered("intervention") + [f"measure: {t}" for t in vocab.allowed("tool")],
        "skill-level": [
            f"level {a}-{b}" if a != b else f"level {a}" for a in levels for b in levels if a <= b
        ],
    }


def _prompt(header: str, form: str, example: str, listed: bool, vocab: Vocabulary) -> tuple[str, str]:
    """The input prompt of one column's cells: what a cell takes, an example, and the challenge
    areas where the cell names one (if they fit in Excel's 255 characters)."""
    text = f"{'Pick from the list, or type: ' if listed else ''}{form}. Example: {example}."
    if "challenge area" in form:
        areas = f" Challenge areas: {'; '.join(vocab.allowed('area'))}."
        text += areas if len(text) + len(areas) <= PROMPT_CHARS else ""
    return header[:PROMPT_TITLE_CHARS], text[:PROMPT_CHARS]


def _instructions(wb, vocab: Vocabulary) -> None:
    ws = wb.create_sheet("Instructions")
    rows = [
        ["How to fill in this care package sheet"],
        *([line] for line in LAYOUT),
        [],
        ["Column", "What a cell says", "Example"],
        *(list(g) for g in GRAMMAR),
        [],
        ["Allowed words"],
    ]
    for kind, title in (
        ("priority", "priorities"),
        ("severity", "severities"),
        ("area", "challenge areas"),
        ("beneficiary", "beneficiaries"),
        ("tool", "MOHO tools"),
    ):
        rows.append([title, "; ".join(vocab.allowed(kind))])
    for kind, title in (("intervention", "interventions"), ("cluster", "care clusters")):
        rows.extend([title if i == 0 else "", name] for i, name in enumerate(vocab.numbered(kind)))
    for row in rows:
        ws.append(row)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 24, 90
    ws.column_dimensions["C"].width = 50


def _validation(wb, ws, vocab: Vocabulary) -> None:
    """A drop-down list where the cell's words come from a list (B2 and four columns) and an input
    prompt on every cell to fill in (B1, B2, and each column from row 5)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = wb.create_sheet("Lists")
    lists.sheet_state = "hidden"
    sources = {}
    for i, (key, values) in enumerate(_lists(vocab).items(), start=1):
        letter = column_letter(i)
        for r, value in enumerate(values, start=1):
            lists.cell(row=r, column=i, value=value)
        sources[key] = f"=Lists!${letter}$1:${letter}${max(len(values), 1)}"
    ranges = {ref: (ref, key) for ref, key in (("B1", "trust"), ("B2", "cluster"))}
    prompts = dict(HEADING_PROMPTS)
    for n, ((key, header), (_, form, example)) in enumerate(zip(COLUMNS, GRAMMAR, strict=True), start=1):
        col = column_letter(n)
        ranges[col] = (f"{col}{FIRST_ENTRY_ROW}:{col}{MAX_ROW}", key)
        prompts[col] = _prompt(header, form, example, key in sources, vocab)
    for name, (cells, key) in ranges.items():
        title, prompt = prompts[name]
        # a list warns, it does not stop: the grammar also takes other spellings ('5-6', '7', '2')
        listed = {"type": "list", "formula1": sources[key], "errorStyle": "warning"} if key in sources else {}
        dv = DataValidation(
            **listed,
            allow_blank=True,
            showErrorMessage=bool(listed),
            showInputMessage=True,
            promptTitle=title,
            prompt=prompt,
        )
        dv.add(cells)
        ws.add_data_validation(dv)


def write_workbook(
    trust: str, cluster, columns: dict[str, list[str]], vocab: Vocabulary | None = None
) -> bytes:
    """An XLSX in the import layout; `columns` maps column keys to their cells' texts, in order.
    With a vocabulary, the Instructions sheet and drop-down lists are added."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = PACKAGE_SHEET
    ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "Trust", trust or None, "Care cluster", cluster
    for col, (key, header) in enumerate(COLUMNS, start=1):
        ws.cell(row=HEADER_ROW, column=col, value=header).font = Font(bold=True)
        ws.column_dimensions[column_letter(col)].width = 32
        for row, text in enumerate(columns.get(key, []), start=FIRST_ENTRY_ROW):
            cell = ws.cell(row=row, column=col, value=text)
            cell.data_type = "s"  # text stays text, even one starting with '='
    ws["A1"].font = ws["A2"].font = Font(bold=True)
    if vocab is not None:
        for row in ws.iter_rows(min_row=FIRST_ENTRY_ROW, max_row=MAX_ROW, max_col=len(COLUMNS)):
            for cell in row:
                cell.number_format = "@"  # typed '5-6' stays text instead of becoming a date
        _validation(wb, ws, vocab)
        _instructions(wb, vocab)
    out = io.BytesIO()
    wb.save(out)
    return _stable(out.getvalue())


# openpyxl stamps the save time into docProps/core.xml and every zip entry: the same package would
# give different bytes each time (so different ETags and lengths for GET and HEAD). Fix both.
FIXED_TIME = (2010, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _stable(data: bytes) -> bytes:
    """The workbook's bytes with its timestamps fixed, so one package always gives one file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2010-01-01T00:00:00Z\g<2>", body)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_csv(trust: str, cluster, columns: dict[str, list[str]]) -> bytes:
    """The same grid as CSV (UTF-8): rows 1, 2 and 4 as in the workbook, entries from row 5."""
    depth = max((len(v) for v in columns.values()), default=0)
    rows = [["Trust", trust], ["Care cluster", str(cluster)], [], [h for _, h in COLUMNS]]
    for i in range(depth):
        rows.append([(columns.get(k) or [])[i] if i < len(columns.get(k) or []) else "" for k, _ in COLUMNS])
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")
