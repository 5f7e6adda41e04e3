"""The SPARQL 1.1 Service Description served at /sparql when no query is given: what the endpoint
speaks, and its default dataset (the union default graph and each named graph with its triples),
linked to the VoID description at /.well-known/void."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..kg.oxterms import written
from ..kg.query import jsonld
from ..kg.store.graph_counts import GraphCounts, count_store, count_void
from ..kg.store.seam import GraphStore
from .negotiation import Format

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
PREFIXES = {
    "sd": SD,
    "void": "http://rdfs.org/ns/void#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "formats": "http://www.w3.org/ns/formats/",
}
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _triples(node, n: int) -> ox.Triple:
    return ox.Triple(node, VOID_TRIPLES, ox.Literal(str(n), datatype=XSD_INTEGER))


def service_description(endpoint: str, void: str, counts: GraphCounts, fmt: Format) -> bytes:
    """The description in `fmt` (JSON-LD as every graph answer); blank node names are fixed, so the bytes are too."""
    svc, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(svc, RDF_TYPE, _sd("Service")),
        ox.Triple(svc, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(svc, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(svc, _sd("feature"), _sd("UnionDefaultGraph")),
        *(
            ox.Triple(svc, _sd("resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{name}"))
            for name in RESULT_FORMATS
        ),
        ox.Triple(svc, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, SEE_ALSO, ox.NamedNode(void)),  # the release's VoID: counts, sources, rights
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
        _triples(default, counts.default),
    ]
    for i, (name, n) in enumerate(sorted(counts.named.items()), start=1):
        named, graph = ox.BlankNode(f"namedGraph{i}"), ox.BlankNode(f"graph{i}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(name)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            _triples(graph, n),
        ]
    if fmt.profile:
        return jsonld.serialize(triples, fmt.content_type)
    return written(ox.serialize(triples, format=fmt.rdf, prefixes=PREFIXES))


async def graph_counts(request: Request) -> GraphCounts:
    """The served dataset's counts, made once per store generation: counted in the embedded store
    (so an upload shows), or read from the build's VoID for a remote server, which otkg never writes."""
    store: GraphStore = request.app.state.services.store
    # the generation of the disk store notices an upload made by any process (a stat: cheap)
    key = (id(store), await run_in_threadpool(lambda: store.generation))
    cached = getattr(request.app.state, "graph_counts", None)
    if cached and cached[0] == key:
        return cached[1]
    if store.is_remote:
        counts = await run_in_threadpool(count_void, request.app.state.settings.build_dir / "void.ttl")
    else:
        counts = await run_in_threadpool(count_store, store)
    request.app.state.graph_counts = (key, counts)
    return counts
