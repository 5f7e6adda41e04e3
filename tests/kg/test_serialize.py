"""CSV written for spreadsheets (kg/query/serialize.py): a cell that would start a formula is quoted and
prefixed, as OWASP advises for CSV injection; everything else is the plain CSV's field."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from otkg.kg.query.serialize import spreadsheet_field, to_csv, to_spreadsheet_csv


@pytest.mark.parametrize(
    "text,field",
    [
        ("=1+1", '"\'=1+1"'),
        ("+cmd", '"\'+cmd"'),
        ("-x", '"\'-x"'),
        ("@SUM(A1)", '"\'@SUM(A1)"'),
        ("\tx", '"\'\tx"'),
        ("\rx", '"\'\rx"'),
        ('=HYPERLINK("u")', '"\'=HYPERLINK(""u"")"'),
        ("-5", "-5"),
        ("+3.25", "+3.25"),
        ("-1.5e3", "-1.5e3"),
        ("-.5", "-.5"),
        ("-5-", '"\'-5-"'),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        ("", ""),
        ("plain", "plain"),
    ],
    ids=repr,
)
def test_a_cell_for_a_spreadsheet(text, field):
    assert spreadsheet_field(text) == field


def test_safe_rows_are_written_as_plain_csv_writes_them():
    rows = [
        {"a": ox.Literal("x, y"), "b": ox.NamedNode("https://w3id.org/otkg/id/cluster-2")},
        {"a": ox.BlankNode("b0")},
        {"b": ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))},
    ]
    assert to_spreadsheet_csv(["a", "b"], rows) == to_csv(["a", "b"], rows)
    assert to_spreadsheet_csv(["a"], [{}, {"a": ox.Literal("-")}]) == to_csv(["a"], [{}]) + b'"\'-"\r\n'


def test_a_spreadsheet_reads_each_risky_cell_as_text_behind_a_quote():
    texts = ["=1+1", "-2+3", "@x", "ok", "-4"]
    body = to_spreadsheet_csv(["v"], [{"v": ox.Literal(t)} for t in texts]).decode()
    assert [r[0] for r in csv.reader(io.StringIO(body, newline=""))] == [
        "v",
        "'=1+1",
        "'-2+3",
        "'@x",
        "ok",
        "-4",
    ]
