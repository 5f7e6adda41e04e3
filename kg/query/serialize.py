"""Serialise one page of SELECT rows in the four SPARQL 1.1 result formats (API and CLI), as CSV
made safe for spreadsheets (a `bom=true` answer), and a graph answer in its graph (graph_answer)."""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..oxterms import written
from . import jsonld

_string = json.encoder.encode_basestring  # a JSON string, non-ASCII kept as json.dumps(ensure_ascii=False)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return '{"type":"uri","value":' + _string(t.value) + "}"
    if isinstance(t, ox.BlankNode):
        return '{"type":"bnode","value":' + _string(t.value) + "}"
    out = '{"type":"literal","value":' + _string(t.value)
    if t.language:
        return out + ',"xml:lang":' + _string(t.language) + "}"
    if t.datatype.value != XSD_STRING:
        return out + ',"datatype":' + _string(t.datatype.value) + "}"
    return out + "}"


def to_json(variables: list[str], rows: list[dict]) -> bytes:
    return json_solutions(variables, [[r.get(v) for v in variables] for r in rows])


def json_solutions(variables: list[str], solutions) -> bytes:
    """SPARQL JSON results from solutions given as sequences of terms in `variables`' order (None
    for an unbound one), such as pyoxigraph's own. Byte for byte what pyoxigraph's serialiser
    writes (compact, UTF-8, the same escapes), so an answer is the same bytes whichever of the two
    wrote it (kg.query.query_jobs uses pyoxigraph's when the whole answer is wanted)."""
    names = [_string(v) + ":" for v in variables]
    bindings = ",".join(
        "{" + ",".join(n + _json_term(t) for n, t in zip(names, s, strict=True) if t is not None) + "}"
        for s in solutions
    )
    head = ",".join(map(_string, variables))
    return f'{{"head":{{"vars":[{head}]}},"results":{{"bindings":[{bindings}]}}}}'.encode()


def to_xml(variables: list[str], rows: list[dict]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>")
    for r in rows:
        out.append("<result>")
        for k, t in r.items():
            if isinstance(t, ox.NamedNode):
                inner = f"<uri>{escape(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                inner = f"<bnode>{escape(t.value)}</bnode>"
            elif t.language:
                inner = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
            elif t.datatype.value != XSD_STRING:
                inner = f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
            else:
                inner = f"<literal>{escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(k)}>{inner}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _csv_cells(variables: list[str], r: dict) -> list[str]:
    return [
        ("_:" + r[v].value if isinstance(r.get(v), ox.BlankNode) else r[v].value) if v in r else ""
        for v in variables
    ]


def to_csv(variables: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for r in rows:
        w.writerow(_csv_cells(variables, r))
    return buf.getvalue().encode("utf-8")


# A spreadsheet runs a cell starting with these as a formula (OWASP, "CSV Injection"); a number
# starting with + or - is only a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_QUOTED = re.compile(r'[,"\r\n]')


def spreadsheet_field(text: str) -> str:
    """One CSV field that a spreadsheet shows as the text it is: a cell that would start a formula
    is prefixed with a single quote and quoted, as OWASP advises, unless it is a number; others are
    quoted only where CSV needs it (as the csv module's minimal quoting)."""
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "\"'" + text.replace('"', '""') + '"'
    return '"' + text.replace('"', '""') + '"' if _QUOTED.search(text) else text


def to_spreadsheet_csv(variables: list[str], rows: list[dict]) -> bytes:
    """CSV for spreadsheets (`bom=true`): to_csv with every cell made safe by spreadsheet_field.
    Plain CSV (to_csv) stays exact, as SPARQL 1.1's CSV results format defines it."""
    lines = [",".join(map(spreadsheet_field, variables))]
    for r in rows:
        cells = _csv_cells(variables, r)
        lines.append('""' if cells == [""] else ",".join(map(spreadsheet_field, cells)))
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


XSD = "http://www.w3.org/2001/XMLSchema#"
# Numbers and booleans whose lexical form Turtle reads back unchanged are written bare, as SPARQL
# TSV allows and pyoxigraph does; anything else keeps its quoted, typed form.
_BARE = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_term(t) -> str:
    if isinstance(t, ox.Literal) and not t.language:
        bare = _BARE.get(t.datatype.value)
        if bare is not None and bare.fullmatch(t.value):
            return t.value
    return str(t)


def to_tsv(variables: list[str], rows: list[dict]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_term(r[v]) if v in r else "" for v in variables) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


SPREADSHEET_CSV = "csv-spreadsheet"  # a select format of jobs whose CSV answer goes to a spreadsheet
SERIALIZERS = {
    "json": to_json,
    "xml": to_xml,
    "csv": to_csv,
    "tsv": to_tsv,
    SPREADSHEET_CSV: to_spreadsheet_csv,
}
# SPARQL 1.1 gives ASK no CSV or TSV form; otkg writes the common convention (Jena's): one column
# `_askResult` and one row, true or false, so a spreadsheet or a TSV reader takes it like a SELECT.
ASK_COLUMN = "_askResult"
ASK_TABLES = {"text/csv": to_csv, "text/tab-separated-values": to_tsv}


def ask_table(media_type: str, value: bool) -> bytes:
    """An ASK answer as a one-cell CSV or TSV table."""
    return ASK_TABLES[media_type]([ASK_COLUMN], [{ASK_COLUMN: ox.Literal(bool(value))}])


# Formats of a dataset, which name each triple's graph; the others write triples only.
DATASET_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


def graph_answer(triples, media_type: str, graph: str | None = None) -> bytes:
    """A CONSTRUCT/DESCRIBE answer in `media_type`. With the IRI of the graph the triples belong to
    (NamedQuery.graph_name), N-Quads and TriG write them in that named graph, so that loading the
    answer puts them back where they were; without it, in the default graph."""
    fmt = None if jsonld.profile_of(media_type) else ox.RdfFormat.from_media_type(media_type)
    if graph is None or fmt not in DATASET_FORMATS:
        return jsonld.serialize(triples, media_type)
    g = ox.NamedNode(graph)
    return written(ox.serialize((ox.Quad(t.subject, t.predicate, t.object, g) for t in triples), format=fmt))
