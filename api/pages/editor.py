"""The SPARQL editor page: a query box, example questions, and the answer as a table.

Where set-up fetched YASGUI (api/pages/yasgui.py), static/sparql-editor.js turns the box into it:
highlighting, completion of the graph's prefixes, classes and properties, a results table, and the
page's URL (/sparql?query=...) kept as the query's shareable link. Without script the form works as
before, and the server runs the query.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from .. import service
from ..errors import Problem
from ..execution import Reads
from ..negotiation import bom_wanted
from ..security_headers import EDITOR_PAGE_CSP
from . import yasgui
from .editor_terms import editor_terms
from .render import CSP, page
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


def csp() -> str:
    """The page's CSP: script from this server where YASGUI was fetched, else the pages' own (none)."""
    return EDITOR_PAGE_CSP if yasgui.available() else CSP


def named_examples(catalog: dict) -> list[dict]:
    """The named queries that need no parameter (queries/*.rq), each opening the editor on its text."""
    return [
        {"title": q.summary, "slug": slug, "href": "/sparql?" + urlencode({"example": slug})}
        for slug, q in sorted(catalog.items())
        if not any(p.required for p in q.params)
    ]


def _example_text(catalog: dict, params: dict[str, list[str]]) -> str:
    """The text of the named query `example` names, for the editor to open (not to run)."""
    slug = service.single(params.get("example", []), "example")
    if slug is None:
        return ""
    if slug not in catalog:
        raise Problem(404, "Not found", f"no named query '{slug}': see /queries")
    return catalog[slug].text


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
    catalog = request.app.state.services.catalog
    found, error, status, opened = None, None, 200, ""
    try:
        if query.strip():
            found = await _answer(request, params)
        else:
            opened = _example_text(catalog, params)
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
    editor = yasgui.available()
    response = page(
        request,
        "sparql.html",
        status,
        query=query or opened or examples()[0]["text"],
        ran=bool(query.strip()),
        found=found,
        error=error,
        downloads=downloads,
        examples=examples(),
        named=named_examples(catalog),
        yasgui={"css": yasgui.url("yasgui.min.css"), "js": yasgui.url("yasgui.min.js")} if editor else None,
        completions=await editor_terms(request) if editor else None,
    )
    response.headers["Content-Security-Policy"] = csp()  # this page alone may run script
    return response
