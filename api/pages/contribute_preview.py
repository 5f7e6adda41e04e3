"""What the /contribute preview shows of a checked package before it is published: its A3 sheet and
its comparison with the national package, from the same catalogue queries as the package page.

The queries run over a small store of their own: the upload's triples plus only what they read of
the graph (the labels, numbers and classes the upload names, and the national package of its
cluster with its entries), fetched by one CONSTRUCT through the execution policy.
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from ...kg.contrib.write_path import Checked
from ...kg.query.query_service import MAX_LIMIT, run_select
from ...kg.query.reads import Read
from ...kg.sparql_text import with_value_rows
from ..execution import Reads
from .care_map import sheet

OTKG = "https://w3id.org/otkg/ontology#"
LOCAL = "https://w3id.org/otkg/id/local/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOR_CLUSTER = ox.NamedNode(OTKG + "forCluster")
CONTEXT_CAP = 20_000  # triples; cluster 2's come to about 2,000
NATIONAL_CAP = 5_000  # the national package, its entries and what they name
# The national package of ?cluster, each of its entries, and what each entry names.
NATIONAL = """PREFIX otkg: <https://w3id.org/otkg/ontology#>
SELECT DISTINCT ?x WHERE {
  { ?x a otkg:IndicativeCarePackage ; otkg:forCluster ?cluster }
  UNION { ?national a otkg:IndicativeCarePackage ; otkg:forCluster ?cluster ; otkg:hasElement ?x }
  UNION { ?national a otkg:IndicativeCarePackage ; otkg:forCluster ?cluster ; otkg:hasElement ?e .
          ?e ?p ?x . FILTER(isIRI(?x)) }
}"""
# What the package queries read about each ?x: the upload's and the national package's entries, the
# columns, classes, interventions, grades and levels they name.
CONTEXT = """PREFIX otkg: <https://w3id.org/otkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?x ?p ?o } WHERE {
  ?x ?p ?o .
  FILTER(?p IN (rdf:type, rdfs:label, rdfs:subClassOf, otkg:sheetColumnPosition, otkg:interventionNumber,
                otkg:levelNumber, otkg:forCluster, otkg:hasElement, otkg:inColumn, otkg:elementPosition,
                otkg:specifies, otkg:measuredBy, otkg:concernsChallenge, otkg:severity,
                otkg:minSkillLevel, otkg:maxSkillLevel, otkg:minDurationMonths, otkg:maxDurationMonths,
                otkg:averageDurationMonths, otkg:minContactHours, otkg:maxContactHours,
                otkg:averageContactHours))
}"""


def _named(triples: list[ox.Triple]) -> set[ox.NamedNode]:
    """The IRIs outside the upload's own namespace that its triples point at."""
    return {
        t.object
        for t in triples
        if isinstance(t.object, ox.NamedNode) and not t.object.value.startswith(LOCAL)
    }


def _cluster(triples: list[ox.Triple], package: str) -> ox.NamedNode | None:
    subject = ox.NamedNode(package)
    for t in triples:
        if t.subject == subject and t.predicate == FOR_CLUSTER and isinstance(t.object, ox.NamedNode):
            return t.object
    return None


async def context(reads: Reads, triples: list[ox.Triple], package: str) -> list[ox.Triple]:
    """What the preview's queries read of the graph (two bounded reads)."""
    wanted = _named(triples)
    cluster = _cluster(triples, package)
    if cluster is not None:
        text = with_value_rows(NATIONAL, ox.Variable("cluster"), [cluster])
        found = await reads.run(Read("table", (text, NATIONAL_CAP, 0, NATIONAL_CAP)))
        wanted |= {row["x"] for row in found.rows if isinstance(row.get("x"), ox.NamedNode)}
    text = with_value_rows(CONTEXT, ox.Variable("x"), sorted(wanted, key=lambda n: n.value))
    found = await reads.run(Read("table", (text, CONTEXT_CAP, 0, CONTEXT_CAP)))
    return [ox.Triple(r["subject"], r["predicate"], r["object"]) for r in found.rows]


def _rows(store: ox.Store, catalog: dict, name: str, package: str) -> list[dict[str, str]]:
    query = catalog.get(name)
    if query is None:
        return []
    found = run_select(store, query, {"package": package}, MAX_LIMIT, 0)
    return [{k: v.value for k, v in row.items()} for row in found.rows]


def _lay_out(triples: list[ox.Triple], catalog: dict, package: str) -> dict:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    rows = _rows(store, catalog, "package-contents", package)
    return {
        "sheet": sheet(rows) if rows else None,
        "entries": len({r["element"] for r in rows}),
        "differences": _rows(store, catalog, "package-vs-national", package),
        "ranges": _rows(store, catalog, "package-ranges-vs-national", package),
        "national": _national(store),
    }


def _national(store: ox.Store) -> str | None:
    """The national package the context brought in (only its cluster's can be there)."""
    kind = ox.NamedNode(OTKG + "IndicativeCarePackage")
    found = next((q.subject for q in store.quads_for_pattern(None, RDF_TYPE, kind)), None)
    return found.value if isinstance(found, ox.NamedNode) else None


async def sections(reads: Reads, checked: Checked) -> dict:
    """The package as its A3 sheet, and against the national package of its cluster (if any)."""
    if checked.package is None:
        return {"sheet": None, "entries": 0, "differences": [], "ranges": [], "national": None}
    known = await context(reads, checked.triples, checked.package)
    catalog = reads.services.catalog
    return await run_in_threadpool(_lay_out, checked.triples + known, catalog, checked.package)
