"""Checks on a built graph: SHACL shapes (enforced by the build) and ODK-style QC queries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDFS

from ..oxterms import solutions

ROOT = Path(__file__).parent.parent.parent  # ontology/ is beside kg/
SHAPES_FILE = ROOT / "ontology" / "shapes" / "otkg-shapes.ttl"
QC_DIR = ROOT / "ontology" / "qc"


@dataclass(frozen=True)
class Violation:
    check: str
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.focus} {self.path}: {self.message}"


def shacl(data: Graph, ontology: Graph) -> list[Violation]:
    """Validate data against the otkg shapes; `data` gains the ontology's subclass axioms."""
    from pyshacl import validate  # imported here: it is slow to import and only the build needs it

    for t in ontology.triples((None, RDFS.subClassOf, None)):
        data.add(t)  # what sh:class needs from the ontology, without pyshacl copying the graph
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", inplace=True, advanced=False, allow_warnings=False
    )
    sh = "http://www.w3.org/ns/shacl#"
    rows = report.query(f"""SELECT ?focus ?path ?msg WHERE {{ ?r a <{sh}ValidationResult> ;
        <{sh}focusNode> ?focus . OPTIONAL {{ ?r <{sh}resultPath> ?path }}
        OPTIONAL {{ ?r <{sh}resultMessage> ?msg }} }} ORDER BY ?focus ?path""")
    return [Violation("shacl", str(f), str(p or ""), str(m or "")) for f, p, m in rows]


def qc_queries(directory: Path = QC_DIR) -> dict[str, str]:
    """Every QC query by its fault name (file stem without '-violation')."""
    return {
        p.stem.removesuffix("-violation"): p.read_text(encoding="utf-8")
        for p in sorted(directory.glob("*-violation.rq"))
    }


def qc(store: ox.Store) -> list[Violation]:
    """Run every QC query over the union of the store's graphs; any row is a violation."""
    found = []
    for name, query in qc_queries().items():
        for row in solutions(store.query(query, use_default_graph_as_union=True)):
            vals = [("" if v is None else str(v.value)) for v in row]
            found.append(Violation(name, *(vals + ["", "", ""])[:3]))
    return found
