"""Export a care package (national or a Trust's) from the graph to a sheet in the import layout.

The way back from the graph (kg.pipeline.sheet_import is the way in): each element becomes the cell that
states its links (kg.pipeline.sheet_grammar.compose_cell), in its column and position, so that importing
the export gives the same entries and links. Also the blank template.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ..namespaces import ID
from ..query.query_service import IRI_BAD
from ..sparql_text import with_values
from .sheet_grammar import GrammarError, Parsed, compose_cell
from .sheet_vocab import PREFIXES, Vocabulary
from .sheet_workbook import write_workbook

LINKS = [
    "concernsChallenge",
    "assessmentPriority",
    "severity",
    "specifies",
    "measuredBy",
    "valueTo",
    "minSkillLevel",
    "maxSkillLevel",
    "contactPattern",
    "minDurationMonths",
    "maxDurationMonths",
    "averageDurationMonths",
    "minContactHours",
    "maxContactHours",
    "averageContactHours",
]
ENTRY_CLASSES = [
    "AssessmentFocus",
    "ChallengeRating",
    "OutcomeEntry",
    "InterventionEntry",
    "MeasureEntry",
    "AddedValueEntry",
    "SkillLevelEntry",
    "ContactEntry",
    "ResourceEntry",
]
HEAD = (
    PREFIXES
    + """SELECT ?label ?code ?trust WHERE {
  ?pkg a ?type . VALUES ?type { otkg:CarePackage otkg:IndicativeCarePackage otkg:LocalCarePackage }
  OPTIONAL { ?pkg rdfs:label ?label }
  OPTIONAL { ?pkg otkg:forCluster/otkg:clusterCode ?code }
  OPTIONAL { ?pkg otkg:providedBy/rdfs:label ?trust }
} LIMIT 1"""
)
ELEMENTS = (
    PREFIXES
    + """SELECT ?el ?col ?pos ?text ?cls ?p ?o WHERE {
  ?pkg otkg:hasElement ?el . ?el otkg:inColumn ?col .
  OPTIONAL { ?el otkg:elementPosition ?pos } OPTIONAL { ?el otkg:text ?text }
  OPTIONAL { ?el a ?cls . VALUES ?cls { %s } }
  OPTIONAL { ?el ?p ?o . VALUES ?p { %s } }
}"""  # noqa: UP031 - an f-string would double every SPARQL brace
    % (" ".join(f"otkg:{c}" for c in ENTRY_CLASSES), " ".join(f"otkg:{p}" for p in LINKS))
)


class ExportError(ValueError):
    """A package IRI that is not an otkg entity IRI (422); LookupError is raised for an unknown one (404)."""


def _term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value)) if t.datatype else Literal(t.value)


def _elements(store, package: ox.NamedNode) -> dict[str, dict]:
    """Each element's column, position, text, class and links, from one query."""
    found: dict[str, dict] = {}
    for row in store.query(with_values(ELEMENTS, {ox.Variable("pkg"): package})):
        el = found.setdefault(row["el"].value, {"links": set(), "cls": None})
        el["col"] = URIRef(row["col"].value)
        el["pos"] = int(row["pos"].value) if row["pos"] is not None else 10**6
        el["text"] = row["text"].value if row["text"] is not None else None
        if row["cls"] is not None:
            el["cls"] = URIRef(row["cls"].value)
        if row["p"] is not None:
            el["links"].add((URIRef(row["p"].value), _term(row["o"])))
    return found


def _cell(key: str, el: dict, vocab: Vocabulary) -> str:
    """The element as a cell; its own text if its links cannot be put in words (not a sheet entry)."""
    if el["cls"] is None:
        return el["text"] or ""
    try:
        return compose_cell(key, Parsed(el["cls"], tuple(sorted(el["links"]))), el["text"], vocab)
    except (KeyError, StopIteration, GrammarError):
        return el["text"] or ""


def package_columns(store, package: str, vocab: Vocabulary) -> tuple[str, int | None, dict[str, list[str]]]:
    """The trust (or the package's label), cluster code and column cells of a package."""
    if not package.startswith(str(ID)) or IRI_BAD.search(package) or len(package) > 2048:
        raise ExportError(f"'{package}' is not an otkg entity IRI (https://w3id.org/otkg/id/...)")
    node = ox.NamedNode(package)
    head = list(store.query(with_values(HEAD, {ox.Variable("pkg"): node})))
    if not head:
        raise LookupError(f"no care package <{package}> in the graph")
    h = head[0]
    trust = (h["trust"] or h["label"]).value if (h["trust"] or h["label"]) else ""
    code = int(h["code"].value) if h["code"] is not None else None
    keys = {iri: key for key, iri in vocab.columns.items()}
    columns: dict[str, list[tuple[int, str, str]]] = {}
    for iri, el in _elements(store, node).items():
        key = keys.get(el["col"])
        if key is not None:
            columns.setdefault(key, []).append((el["pos"], iri, _cell(key, el, vocab)))
    return trust, code, {k: [text for _, _, text in sorted(v) if text] for k, v in columns.items()}


def export_package(store, package: str) -> bytes:
    """The package as an XLSX in the import layout, with the Instructions sheet."""
    vocab = Vocabulary.load(store)
    trust, code, columns = package_columns(store, package, vocab)
    return write_workbook(trust, code, columns, vocab)


def template(store) -> bytes:
    """The blank template: the layout, the headers, the Instructions and the drop-down lists."""
    return write_workbook("", None, {}, Vocabulary.load(store))
