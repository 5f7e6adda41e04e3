"""The package layout of a Trust's sheet: trust and cluster in B1/B2, 8 headers in row 4, entries below.

Second step of a sheet import: takes the grid kg.pipeline.sheet_read made and finds the cells that matter,
with every problem located by row and column. The cell grammar is kg.pipeline.sheet_grammar's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sheet_read import Grid, Problem, SheetError, column_letter

# (column key, header) in the order of the published A3 sheets; the key names the element IRIs
# (local-<slug>-<key>-<n>) and is the local name of the otkg column after "ot-column-".
COLUMNS = [
    ("assessment", "Assessment"),
    ("challenges", "Challenges"),
    ("outcome", "Outcome"),
    ("intervention", "Intervention"),
    ("added-value", "Added value"),
    ("skill-level", "Skill/level"),
    ("contact", "Contact"),
    ("resources", "Resources"),
]
TRUST_ROW, CLUSTER_ROW, HEADER_ROW, FIRST_ENTRY_ROW = 1, 2, 4, 5
# '2', 'cluster 2', 'Care cluster 2', 'cluster-2', or the template's '2. Common Mental Health Problems ...'
CLUSTER_CODE = re.compile(
    r"(?:care\s*)?(?:cluster)?[\s-]*(\d{1,2})(?:\.(?:\s+(.*))?)?", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class Cell:
    sheet: str
    row: int
    column: int
    text: str  # as stored in the file: the claim quotes exactly this

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"

    @property
    def clean(self) -> str:
        """The text with white space collapsed: what otkg:text and labels hold."""
        return " ".join(self.text.split())

    @property
    def quoted(self) -> str:
        """The text as a message quotes it: collapsed, and cut at 80 characters."""
        text = self.clean
        return f"'{text if len(text) <= 80 else text[:79] + '…'}'"

    def problem(self, message: str) -> Problem:
        return Problem(self.sheet, self.row, column_letter(self.column), message, self.text)


@dataclass(frozen=True)
class Entry:
    cell: Cell
    key: str  # column key
    position: int  # its order within its column, from 1


@dataclass(frozen=True)
class Layout:
    trust: Cell
    cluster: Cell
    code: int
    entries: list[Entry]


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def cluster_code(text: str) -> int | None:
    """2 from '2', 'cluster 2', 'Care cluster 2', 'cluster-2' or '2. <name>'; None for anything else."""
    m = CLUSTER_CODE.fullmatch(text.strip())
    return int(m.group(1)) if m else None


def cluster_name(text: str) -> str | None:
    """The name after the code in '2. <name>', if the cell gives one."""
    m = CLUSTER_CODE.fullmatch(text.strip())
    return m.group(2) if m and m.group(2) else None


def _labelled(grid: Grid, row: int, label: str, problems: list[Problem]) -> Cell | None:
    """The value cell (column B) of row 1 or 2, after checking its label in column A."""
    found = grid.cells.get((row, 1))
    if found is None or _squash(found) != _squash(label):
        problems.append(Problem(grid.sheet, row, "A", f"expected the label '{label}' here"))
    text = grid.cells.get((row, 2))
    if text is None:
        problems.append(Problem(grid.sheet, row, "B", f"missing {label.lower()}: fill in cell B{row}"))
        return None
    return Cell(grid.sheet, row, 2, text)


def _headers(grid: Grid, problems: list[Problem]) -> None:
    for col, (_, header) in enumerate(COLUMNS, start=1):
        found = grid.cells.get((HEADER_ROW, col))
        if found is None:
            problems.append(Problem(grid.sheet, HEADER_ROW, column_letter(col), f"missing header '{header}'"))
        elif _squash(found) != _squash(header):
            problems.append(
                Problem(
                    grid.sheet,
                    HEADER_ROW,
                    column_letter(col),
                    f"unknown header '{found.strip()}': expected '{header}'",
                )
            )


def _entries(grid: Grid, problems: list[Problem]) -> list[Entry]:
    entries = []
    for col, (key, header) in enumerate(COLUMNS, start=1):
        rows = sorted(r for (r, c) in grid.cells if c == col and r >= FIRST_ENTRY_ROW)
        for position, row in enumerate(rows, start=1):
            entries.append(Entry(Cell(grid.sheet, row, col, grid.cells[(row, col)]), key, position))
        if not rows:
            problems.append(
                Problem(
                    grid.sheet,
                    HEADER_ROW,
                    column_letter(col),
                    f"no entries under '{header}': every column of a package needs one",
                )
            )
    return entries


def parse_layout(grid: Grid) -> Layout:
    """The trust, the cluster and the entries; SheetError listing every layout problem found."""
    problems: list[Problem] = []
    trust = _labelled(grid, TRUST_ROW, "Trust", problems)
    cluster = _labelled(grid, CLUSTER_ROW, "Care cluster", problems)
    code = None
    if cluster is not None:
        code = cluster_code(cluster.text)
        if code is None:
            problems.append(
                cluster.problem(f"{cluster.quoted} is not a care cluster code such as 2 or '2. <its name>'")
            )
    _headers(grid, problems)
    if not any(r >= FIRST_ENTRY_ROW for (r, _) in grid.cells):
        problems.append(Problem(grid.sheet, FIRST_ENTRY_ROW, "A", "the package has no entries (rows 5 on)"))
        raise SheetError(problems)
    entries = _entries(grid, problems)
    if problems:
        raise SheetError(problems)
    assert trust is not None and cluster is not None and code is not None  # else a problem above
    return Layout(trust, cluster, code, entries)
