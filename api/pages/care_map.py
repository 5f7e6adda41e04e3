"""The care map on entity pages: a cluster's packages and rules, a package laid out as its A3 sheet,
and an intervention's challenge areas, outcomes and MOHO domain. Rows come from catalogue queries."""

from __future__ import annotations

from itertools import zip_longest

from ...kg.query.query_service import MAX_LIMIT
from .. import service
from . import across_trusts

OTKG = "https://w3id.org/otkg/ontology#"


def _types(props: dict, rdf_type: str) -> set[str]:
    return {v["iri"].removeprefix(OTKG) for v in props.get(rdf_type, []) if "iri" in v}


def sheet(rows: list[dict]) -> dict:
    """Package entries as a grid: the columns in sheet order, and one row per place in a column
    (rows come ordered by column, then place)."""
    columns: dict[str, list[dict]] = {}
    for r in rows:
        columns.setdefault(r["sheetPosition"], []).append(r)
    order = sorted(columns, key=int)
    return {
        "columns": [columns[c][0]["columnLabel"].removesuffix(" column") for c in order],
        "rows": [list(row) for row in zip_longest(*(columns[c] for c in order))],
    }


async def _rows(reads, name: str, **params: str) -> list[dict[str, str]]:
    return (await service.catalogue_rows(reads, name, MAX_LIMIT, **params))[0]


def links_listed(found: dict) -> set[tuple[str, str]]:
    """The links into a cluster that its sections list (its packages' and rules'), as (subject, property)."""
    return {(r["package"], OTKG + "forCluster") for r in found.get("packages", [])} | {
        (r["rule"], OTKG + "appliesToCluster") for r in found.get("rules", [])
    }


async def sections(reads, iri: str, props: dict, rdf_type: str) -> dict:
    """What the entity page adds for care clusters, packages and numbered interventions."""
    kinds = _types(props, rdf_type)
    found: dict = {}
    if "CareCluster" in kinds:
        found["packages"] = await _rows(reads, "cluster-packages", cluster=iri)
        found["rules"] = await _rows(reads, "cluster-rules", cluster=iri)
        found["across"] = await across_trusts.cluster(reads, iri)
    if kinds & {"IndicativeCarePackage", "LocalCarePackage"}:
        rows = await _rows(reads, "package-contents", package=iri)
        found["sheet"] = sheet(rows) if rows else None
        found["cluster"] = next((v["iri"] for v in props.get(OTKG + "forCluster", []) if "iri" in v), None)
        if "LocalCarePackage" in kinds:
            found["differences"] = await _rows(reads, "package-vs-national", package=iri)
            found["ranges"] = await _rows(reads, "package-ranges-vs-national", package=iri)
            found["range_charts"] = across_trusts.package_ranges(found["ranges"])
    if kinds & {"Intervention", "CompositeIntervention"}:
        found["care_map"] = [
            r for r in await _rows(reads, "intervention-care-map") if r["intervention"] == iri
        ]
        found["clusters"] = await _rows(reads, "clusters-by-intervention", intervention=iri)
    return found
