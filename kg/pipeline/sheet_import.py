"""Import a Trust's package spreadsheet (XLSX or CSV) as a local package graph, checked in full.

The flow: kg.pipeline.sheet_read (safe grid) -> kg.pipeline.sheet_layout (cells) -> kg.pipeline.sheet_grammar (links, using
kg.pipeline.sheet_vocab) -> kg.pipeline.sheet_triples (claims and statements) -> the shapes (as SPARQL, kg.pipeline.shape_checks) and QC here. The caller (the
`otkg import-package` command or the upload route) commits the result with kg.store.seam.commit_graph;
on any problem a SheetError names sheet, row and column and nothing is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ..namespaces import STATEMENT
from ..oxterms import solutions, triple_from_rdflib
from ..store.seam import LOCAL_GRAPHS
from .entail import superclasses
from .shape_checks import run_checks
from .sheet_grammar import GrammarError, Parsed, parse_cell
from .sheet_layout import Cell, Layout, cluster_code, cluster_name, parse_layout
from .sheet_read import Problem, SheetError, read
from .sheet_triples import PackageTriples, Sheet, package_triples
from .sheet_vocab import Vocabulary, word
from .upload import graph_iri

SHEET_QC = ("untraced-triple", "claim-without-quote", "unsupported-statement")
STATEMENT_NS = str(STATEMENT)


@dataclass(frozen=True)
class Imported:
    graph: str
    triples: list[ox.Triple]
    package: str
    document: str
    elements: int
    claims: int


def slug_for(trust: str) -> str:
    """A graph name from a trust's name: 'Synthetic Example NHS Trust' -> 'synthetic-example-nhs-trust'."""
    slug = re.sub(r"[^a-z0-9]+", "-", trust.lower()).strip("-")[:64].strip("-")
    return slug or "trust"


def _check_heading(layout: Layout, vocab: Vocabulary, trust: str, cluster: str) -> list[Problem]:
    """B1 and B2 must say what the caller says they import, and the cluster must exist."""
    problems = []
    if word(layout.trust.text) != word(trust):
        problems.append(
            layout.trust.problem(
                f"wrong trust: the sheet says '{layout.trust.clean}', the import "
                f"is for '{' '.join(trust.split())}'"
            )
        )
    expected = cluster_code(cluster)
    if expected != layout.code:
        problems.append(
            layout.cluster.problem(
                f"wrong cluster: the sheet says {layout.code}, the import is for '{cluster}'"
            )
        )
    elif layout.code not in vocab.numbers.get("cluster", {}):
        problems.append(layout.cluster.problem(f"there is no care cluster {layout.code}"))
    else:
        problems.extend(_cluster_name(layout, vocab))
    return problems


def _cluster_name(layout: Layout, vocab: Vocabulary) -> list[Problem]:
    """B2's name after the code ('2. <name>'), if it is another cluster's name."""
    name = cluster_name(layout.cluster.text) or ""
    names = vocab.names.get("cluster", {})
    other = next((n for n, label in names.items() if word(label) == word(name)), layout.code)
    if other == layout.code:
        return []
    return [
        layout.cluster.problem(
            f"{layout.cluster.quoted}: cluster {layout.code} is '{vocab.numbered_name('cluster', layout.code)}' "
            f"but '{' '.join(name.split())}' is cluster {other}: write one of them"
        )
    ]


def _readings(layout: Layout, vocab: Vocabulary, problems: list[Problem]) -> list[Parsed | None]:
    """Each entry's reading, in layout order (None where its cell breaks the grammar: a problem
    quoting the cell's text says why)."""
    readings: list[Parsed | None] = []
    for entry in layout.entries:
        try:
            readings.append(parse_cell(entry.key, entry.cell.text, vocab))
        except GrammarError as exc:
            readings.append(None)
            problems.append(entry.cell.problem(f"{entry.cell.quoted}: {exc}"))
    return readings


# Columns whose cells carry free text besides their links: two outcomes for one challenge area are
# two entries. In the others a cell says nothing but its links ('7' and '7. Routines' are one entry).
FREE_TEXT = {"outcome", "added-value", "resources"}


def _repeats(layout: Layout, readings: list[Parsed | None]) -> list[Problem]:
    """An entry that repeats an earlier one of its column: the same text (compared as words) or, in
    a column without free text, the same links."""
    first: dict[tuple, Cell] = {}
    problems = []
    for entry, reading in zip(layout.entries, readings, strict=True):
        keys: list[tuple] = [(entry.key, "text", word(entry.cell.text))]
        if reading is not None and entry.key not in FREE_TEXT:
            keys.append((entry.key, "links", reading.cls, frozenset(reading.links)))
        earlier = next((first[k] for k in keys if k in first), None)
        if earlier is None:
            first.update(dict.fromkeys(keys, entry.cell))
            continue
        if word(earlier.text) == word(entry.cell.text):
            why = f"{entry.cell.quoted} is already in this column"
        else:
            why = f"{entry.cell.quoted} says the same as {earlier.quoted}"
        problems.append(
            entry.cell.problem(f"{entry.cell.ref} repeats {earlier.ref}: {why}; keep one of them")
        )
    return problems


def _check(out: PackageTriples, triples: list[tuple], ontology: Graph, sheet_name: str, checks: str) -> None:
    """The SHACL shapes and the traceability QC queries over the package alone; problems point at
    cells. The shapes run as SPARQL (kg.pipeline.shape_checks), or with pyshacl for checks="shacl"."""
    from .validate import qc_queries

    store = ox.Store()
    store.bulk_extend(ox.Quad(*t) for t in triples)  # made from the terms: 0.3 s less than from Triples
    if checks == "shacl":
        found = _shacl(triples, ontology)
    else:  # what sh:class and sh:targetClass read from the data graph, as kg.pipeline.validate gives it
        store.extend(
            ox.Quad(*triple_from_rdflib(*t)) for t in ontology.triples((None, RDFS.subClassOf, None))
        )
        found = run_checks(store)
    queries = qc_queries()
    for name in SHEET_QC:
        for row in solutions(store.query(queries[name])):
            found.append((row[0].value, f"{name}: {' '.join(str(x.value) for x in list(row)[1:] if x)}"))
    if found:
        raise SheetError([_locate(out, focus, message, sheet_name) for focus, message in found[:50]])


def _shacl(triples: list[tuple], ontology: Graph) -> list[tuple[str, str]]:
    """The shapes as pyshacl checks them (the reference for the SPARQL checks; the build uses it)."""
    from .validate import shacl

    data = Graph()
    for t in triples:
        # No shape targets the reified statements (the QC queries check them), and leaving them out
        # halves pyshacl's time on a full 500-row sheet.
        if not t[0].value.startswith(STATEMENT_NS):
            data.add((_rdflib(t[0]), _rdflib(t[1]), _rdflib(t[2])))
    return [(v.focus, f"{v.path} {v.message}".strip()) for v in shacl(data, ontology)]


def _rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        lang, dt = term.language, term.datatype.value
        return Literal(term.value, lang=lang) if lang else Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"a sheet's graph has no {term!r}")


def _locate(out: PackageTriples, focus: str, message: str, sheet_name: str) -> Problem:
    cell = out.cells.get(focus)
    if cell is None:
        return Problem(sheet_name, None, None, f"{focus}: {message}")
    return cell.problem(message)


def import_sheet(
    data: bytes,
    media_type: str,
    file_name: str,
    trust: str,
    cluster: str,
    store,
    ontology: Graph,
    slug: str | None = None,
    checks: str = "sparql",
) -> Imported:
    """Read, check and turn a package sheet into the triples of its local graph; SheetError on any
    problem (an UploadError for a bad slug). `store` holds the vocabulary (the built graph);
    checks="shacl" runs the shapes with pyshacl instead of SPARQL (the benchmark's reference)."""
    graph = graph_iri(slug or slug_for(trust))
    slug = graph.removeprefix(LOCAL_GRAPHS)
    grid = read(data, media_type)
    layout = parse_layout(grid)
    vocab = Vocabulary.load(store)
    problems = _check_heading(layout, vocab, trust, cluster)
    readings = _readings(layout, vocab, problems)
    problems.extend(_repeats(layout, readings))
    if problems:
        raise SheetError(problems)
    clus = vocab.numbers["cluster"][layout.code]
    adapted_from = vocab.national.get(clus, vocab.indicative)
    if adapted_from is None:  # the ontology's seeds always state it; a graph without them is broken
        raise LookupError("the graph names no indicative care packages for a local one to adapt")
    sheet = Sheet(
        slug,
        file_name,
        hashlib.sha256(data).hexdigest(),
        layout.trust.clean,
        clus,
        adapted_from,
    )
    parsed = [r for r in readings if r is not None]  # all of them: a failed one is a problem above
    out = package_triples(sheet, layout, parsed, vocab.columns, superclasses(ontology))
    unique = list(dict.fromkeys(out.triples))
    _check(out, unique, ontology, grid.sheet, checks)
    triples = [ox.Triple(*t) for t in unique]
    claims = sum(1 for c in out.cells if "/claim/" in c)
    return Imported(graph, triples, out.package.value, out.document.value, len(out.elements), claims)
