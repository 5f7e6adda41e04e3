"""Import a Trust's package spreadsheet (XLSX or CSV) as a local package graph, checked in full.

The flow: kg.build.sheet_read (safe grid) -> kg.build.sheet_layout (cells) -> kg.build.sheet_grammar (links, using
kg.build.sheet_vocab) -> kg.build.sheet_triples (claims and statements) -> SHACL and QC here. The caller (the
`otkg import-package` command or the upload route) commits the result with kg.store.seam.commit_graph;
on any problem a SheetError names sheet, row and column and nothing is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..namespaces import STATEMENT
from ..oxterms import solutions, triple_from_rdflib
from ..store.seam import LOCAL_GRAPHS
from .sheet_grammar import GrammarError, Parsed, parse_cell
from .sheet_layout import Layout, cluster_code, parse_layout
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
    return problems


def _readings(layout: Layout, vocab: Vocabulary, problems: list[Problem]) -> list[Parsed]:
    readings = []
    for entry in layout.entries:
        try:
            readings.append(parse_cell(entry.key, entry.cell.text, vocab))
        except GrammarError as exc:
            problems.append(entry.cell.problem(str(exc)))
    return readings


def _check(out: PackageTriples, ontology: Graph, sheet_name: str) -> None:
    """SHACL and the traceability QC queries over the package alone; problems point at cells."""
    from .validate import qc_queries, shacl

    data = Graph()
    for t in out.triples:
        # No shape targets the reified statements (the QC queries below check them), and leaving
        # them out halves pyshacl's time on a full 500-row sheet.
        if not str(t[0]).startswith(STATEMENT_NS):
            data.add(t)
    found = [(v.focus, f"{v.path} {v.message}".strip()) for v in shacl(data, ontology)]
    store = ox.Store()
    triples = (triple_from_rdflib(*t) for t in out.triples)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    queries = qc_queries()
    for name in SHEET_QC:
        for row in solutions(store.query(queries[name])):
            found.append((row[0].value, f"{name}: {' '.join(str(x.value) for x in list(row)[1:] if x)}"))
    if found:
        raise SheetError([_locate(out, focus, message, sheet_name) for focus, message in found[:50]])


def _locate(out: PackageTriples, focus: str, message: str, sheet_name: str) -> Problem:
    cell = out.cells.get(URIRef(focus))
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
) -> Imported:
    """Read, check and turn a package sheet into the triples of its local graph; SheetError on any
    problem (an UploadError for a bad slug). `store` holds the vocabulary (the built graph)."""
    graph = graph_iri(slug or slug_for(trust))
    slug = graph.removeprefix(LOCAL_GRAPHS)
    grid = read(data, media_type)
    layout = parse_layout(grid)
    vocab = Vocabulary.load(store)
    problems = _check_heading(layout, vocab, trust, cluster)
    readings = _readings(layout, vocab, problems)
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
    out = package_triples(sheet, layout, readings, vocab.columns)
    _check(out, ontology, grid.sheet)
    triples = [triple_from_rdflib(*t) for t in dict.fromkeys(out.triples)]
    claims = sum(1 for c in out.cells if "/claim/" in str(c))
    return Imported(graph, triples, str(out.package), str(out.document), len(out.elements), claims)
