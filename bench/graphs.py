"""What is measured on each graph: the routes of otkg and the same SPARQL text sent to oxigraph."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.sparql_text import with_values

from .rounds import Target

REAL_ENTITY = "https://w3id.org/otkg/id/intervention-04"
SCALE_ENTITY = "https://w3id.org/otkg/id/syn-el-0-0-0"
PAGE = "/id/intervention-16"
# The one-row lookup issue 13 measured (0.10x): a care cluster's label by its code.
LOOKUP = (
    "SELECT ?label WHERE { ?c <https://w3id.org/otkg/ontology#clusterCode> 14 ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
OTKG, CACHED = "otkg", "otkg, cache on"
MEMORY, DISK = "oxigraph serve, in memory", "oxigraph serve, on disk"
OXIGRAPHS = (MEMORY, DISK)


def named_as_sparql(slug: str, params: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """A named query with its parameters bound by a VALUES block: what otkg runs for the named
    route, as plain SPARQL for servers without named queries."""
    return with_values(load_catalog()[slug].text, {ox.Variable(k): v for k, v in params.items()})


def _group(bases: dict[str, str], query: str, sparql: str, named: str | None) -> list[Target]:
    """One query on every server: otkg's named route (if any) and /sparql, with and without its
    response cache, and oxigraph's /query on the same text."""
    out = []
    for server, cache in ((OTKG, False), (CACHED, True)):
        if named:
            out.append(Target(server, named.split("?")[0], query, bases[server] + named, cache=cache))
        out.append(
            Target(server, "/sparql", query, f"{bases[server]}/sparql?query={quote(sparql)}", cache=cache)
        )
    out += [Target(s, "/query", query, f"{bases[s]}/query?query={quote(sparql)}") for s in OXIGRAPHS]
    return out


def _evidence(bases: dict[str, str], entity: str) -> list[Target]:
    text = named_as_sparql("evidence-for-entity", {"entity": ox.NamedNode(entity)})
    named = "/queries/evidence-for-entity?" + urlencode({"entity": entity})
    return _group(bases, "evidence trace", text, named)


def real_routes(entity: str):
    """The real graph: evidence trace, the one-row lookup (raw, and named as cluster-by-code), and
    an entity page as HTML (otkg only: oxigraph serves no pages, so it has no ratio)."""
    code = ox.Literal("14", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))

    def routes(bases: dict[str, str]) -> list[Target]:
        return [
            *_evidence(bases, entity),
            *_group(bases, "one-row lookup", LOOKUP, None),
            *_group(
                bases,
                "one-row lookup, named",
                named_as_sparql("cluster-by-code", {"code": code}),
                "/queries/cluster-by-code?code=14",
            ),
            *[
                Target(s, PAGE + " (HTML)", "entity page", bases[s] + PAGE, accept="text/html", cache=c)
                for s, c in ((OTKG, False), (CACHED, True))
            ],
        ]

    return routes


def scale_routes(entity: str):
    """The synthetic 1M-quad graph: the evidence trace (its clusters carry no codes, and its
    entities are stand-ins, so lookups and pages would measure nothing like the real ones)."""
    return lambda bases: _evidence(bases, entity)


def scale_build_dir(nquads: Path) -> Path:
    """A build folder the API can serve for a synthetic graph."""
    d = Path(tempfile.mkdtemp(prefix="otkg-scale-build-"))
    (d / "otkg.nq").symlink_to(nquads.resolve())
    digest = hashlib.sha256(nquads.read_bytes()).hexdigest()
    (d / "release.json").write_text(
        json.dumps({"version": "scale", "versionIRI": "urn:otkg:scale", "inputsDigest": digest})
    )
    return d
