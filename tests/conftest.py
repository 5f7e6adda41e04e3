"""Shared fixtures: the real graph, assembled once per test session and loaded into pyoxigraph."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.build import assemble


@pytest.fixture(scope="session")
def assembled():
    return assemble()


@pytest.fixture(scope="session")
def store(assembled) -> ox.Store:
    return assembled.store()


PREFIXES = """PREFIX otkg: <https://w3id.org/otkg/ontology#>
PREFIX id: <https://w3id.org/otkg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX cito: <http://purl.org/spar/cito/>
"""


@pytest.fixture(scope="session")
def ask(store):
    """Run a SELECT over the union of all graphs; rows as dicts of plain values (IRIs, lexical forms)."""
    def run(query: str) -> list[dict[str, str]]:
        res = store.query(PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in res]
    return run
