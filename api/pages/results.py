"""A query's answer as a page's table: the service's terms (kg.query.reads.Table) in the templates' shape.

Pages get answers from api.service like the JSON routes do, never by calling a route's handler or
reading the app's own JSON back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...kg.query.reads import Table
from .terms import term


@dataclass
class Results:
    form: str  # select, ask or graph
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # variable -> term dict, at most service.SHOWN
    total: int = 0
    boolean: bool | None = None
    next: str | None = None  # the next page's URL (path and query), when there is one


def results(table: Table, next_page: str | None = None) -> Results:
    """The table's rows as the templates read terms (pages.terms.term)."""
    if table.form == "ask":
        return Results("ask", boolean=table.boolean)
    rows = [{k: term(v) for k, v in row.items()} for row in table.rows]
    return Results(table.form, table.variables, rows, table.total, next=next_page)
