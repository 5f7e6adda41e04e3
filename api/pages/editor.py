"""The SPARQL editor page: a query box, example questions, and the answer as a table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from .. import service
from ..errors import Problem
from ..execution import Reads
from ..negotiation import bom_wanted
from .render import page
from .results import results

PREFIXES = """PREFIX otkg: <https://w3id.org/otkg/ontology#>
PREFIX id: <https://w3id.org/otkg/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
EXAMPLES = [
    (
        "The care clusters in code order",
        """SELECT ?cluster ?code ?label WHERE {
  ?cluster a otkg:CareCluster ; otkg:clusterCode ?code ; rdfs:label ?label .
} ORDER BY ?code""",
    ),
    (
        "Interventions and the exact passages that name them",
        """SELECT ?intervention ?label ?exact WHERE {
  ?intervention otkg:interventionNumber ?n ; rdfs:label ?label .
  ?claim oa:hasBody ?intervention ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
} ORDER BY ?n LIMIT 25""",
    ),
    (
        "How many claims each source document supports",
        """SELECT ?document ?label (COUNT(?claim) AS ?claims) WHERE {
  ?document a otkg:SourceDocument ; rdfs:label ?label .
  ?claim prov:wasQuotedFrom ?document .
} GROUP BY ?document ?label ORDER BY DESC(?claims)""",
    ),
    (
        "Does the graph hold any Trust's local care package yet?",
        """ASK WHERE { ?package a otkg:LocalCarePackage }""",
    ),
    (
        "Everything the graph says about cluster 14",
        """CONSTRUCT { id:cluster-14 ?p ?o } WHERE { id:cluster-14 ?p ?o }""",
    ),
]


def examples() -> list[dict]:
    """Each example with its text and the editor URL that runs it."""
    return [
        {"title": t, "text": PREFIXES + q, "href": "/sparql?" + urlencode({"query": PREFIXES + q})}
        for t, q in EXAMPLES
    ]


async def _answer(request: Request, params: dict[str, list[str]]):
    """The query's answer, checked as GET /sparql checks a query."""
    service.refuse_update(params)
    text = service.single(params.get("query", []), "query")
    if text is None:  # the page calls this only with a query
        raise Problem(400, "Bad request", "'query' is missing")
    bom_wanted(service.single(params.get("bom", []), "bom"))
    settings = request.app.state.settings
    query = service.raw_query(text, params, service.endpoint(request), settings.max_query_length)
    return results(await service.sparql_table(Reads(request, settings.query_deadline), query))


async def sparql_page(request: Request) -> HTMLResponse:
    """The editor; with a query, its answer as a table."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    query = (params.get("query") or [""])[0]
    found, error, status = None, None, 200
    if query.strip():
        try:
            found = await _answer(request, params)
        except Problem as exc:
            status, error = exc.status, {"title": exc.title, "detail": exc.detail}
    downloads = [
        (label, "/sparql?" + urlencode({"query": query, "format": fmt}))
        for fmt, label in (
            [("csv", "CSV"), ("json", "JSON")]
            if found and found.form == "select"
            else [("json", "JSON")]
            if found and found.form == "ask"
            else [("turtle", "Turtle"), ("jsonld", "JSON-LD")]
            if found
            else []
        )
    ]
    return page(
        request,
        "sparql.html",
        status,
        query=query or examples()[0]["text"],
        ran=bool(query.strip()),
        found=found,
        error=error,
        downloads=downloads,
        examples=examples(),
    )
