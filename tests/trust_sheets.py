"""Synthetic Trusts' package sheets for the cross-Trust tests (issue 21, item 4), made here and
never shipped in the default graph: four Trusts for cluster 2 beside its national package, one for
cluster 14, which has no national package. Each goes through the write path's checks before it is
stored, as an upload would."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from otkg.kg.contrib.write_path import Upload, Writer
from otkg.kg.store.seam import EmbeddedStore
from otkg.kg.terms import load_ontology

from tests.sheet_files import ENTRIES, XLSX, workbook

ID = "https://w3id.org/otkg/id/"


def _entries(interventions, measures, challenges, level, duration, hours) -> dict:
    """A sheet's entries: the fixture's assessment, outcome, added value and resources columns with
    the given interventions (numbers), measures, challenge ratings, skill level and contact."""
    return {
        **ENTRIES,
        "B": [f"{grade}: {area}" for grade, area in challenges],
        "D": [str(n) for n in interventions] + [f"measure: {m}" for m in measures],
        "F": [f"level {level}"],
        "G": ["pattern: weekly sessions", f"duration: {duration}", f"hours: {hours}"],
    }


# slug, Trust, cluster, entries
TRUSTS = [
    (
        "synthetic-a",
        "Synthetic Trust A (not real)",
        "2",
        _entries(
            [1, 7, 23],
            ["OCAIRS", "MOHOST"],
            [
                ("moderate", "motivation"),
                ("minor", "responsibilities and routines"),
                ("minor", "environment"),
                ("major", "communication and interaction skills"),
            ],
            "4-6",
            "2-9 months, average 4",
            "10-30, average 24",
        ),
    ),
    (
        "synthetic-b",
        "Synthetic Trust B (not real)",
        "2",
        _entries(
            [1, 2, 23, 24],
            ["OCAIRS", "OSA"],
            [
                ("moderate", "motivation"),
                ("moderate", "responsibilities and routines"),
                ("minor", "environment"),
            ],
            "5-6",
            "1-6 months, average 3",
            "12-20, average 16",
        ),
    ),
    (
        "synthetic-c",
        "Synthetic Trust C (not real)",
        "2",
        _entries(
            [1, 7, 24],
            ["OCAIRS", "WEIS"],
            [
                ("major", "motivation"),
                ("moderate", "responsibilities and routines"),
                ("minor", "communication and interaction skills"),
            ],
            "5-7",
            "3-12 months, average 6",
            "20-40, average 30",
        ),
    ),
    (
        "synthetic-d",
        "Synthetic Trust D (not real)",
        "2",
        _entries(
            [1, 23],
            ["MOHOST"],
            [("moderate", "motivation"), ("minor", "responsibilities and routines")],
            "4-5",
            "1-4 months, average 2",
            "average 12",
        ),
    ),
    (
        "synthetic-e",
        "Synthetic Trust E (not real)",
        "14",
        _entries(
            [3, 16],
            ["MOHOST"],
            [("major", "mobility and coordination"), ("moderate", "motivation")],
            "6-7",
            "6-18 months, average 12",
            "40-80, average 60",
        ),
    ),
]


def package(slug: str) -> str:
    """The IRI of a synthetic Trust's package."""
    return f"{ID}local/{slug}/package"


def uploads() -> list[Upload]:
    """The five sheets as uploads, each naming its Trust and cluster as the sheet does."""
    return [
        Upload(slug, workbook({"B1": trust, "B2": int(cluster)}, entries=entries), XLSX, trust, cluster)
        for slug, trust, cluster, entries in TRUSTS
    ]


def add_to(store: ox.Store) -> list[str]:
    """Check each upload with the write path against `store` and add it as its own named graph;
    returns the graphs' names."""
    with tempfile.TemporaryDirectory(prefix="otkg-trusts-") as tmp:
        writer = Writer(EmbeddedStore(store), Path(tmp), load_ontology())
        checked = [writer.check(up) for up in uploads()]
    for c in checked:
        g = ox.NamedNode(c.graph)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in c.triples)
    return [c.graph for c in checked]
