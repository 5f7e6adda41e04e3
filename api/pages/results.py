"""Run a user's query through the JSON API's own handler and read its answer back for a table.

The pages never query the store for a user: they call the API handler with a copy of the request
that asks for SPARQL JSON results (or N-Triples for a graph), so limits, checks, deadlines and the
executor stay in one place (api/routers/queries.py, api/routers/sparql.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from fastapi import Request

from .terms import json_term, term

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
SHOWN = 1000  # rows drawn in a page's table; the downloads carry every row


@dataclass
class Results:
    form: str  # select, ask or graph
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # variable -> term dict, at most SHOWN
    total: int = 0
    boolean: bool | None = None
    next: str | None = None  # the next page's URL (path and query), when the API offers one


def api_request(request: Request, params: list[tuple[str, str]]) -> Request:
    """A copy of the request that asks the API for JSON results, with exactly these query parameters."""
    scope = dict(request.scope)
    scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k.lower() != b"accept"]
    scope["headers"].append((b"accept", ACCEPT.encode()))
    scope["query_string"] = urlencode(params).encode()
    return Request(scope, request.receive)


async def _body(response) -> bytes:
    if hasattr(response, "body_iterator"):  # a streamed answer
        return b"".join([c if isinstance(c, bytes) else c.encode() async for c in response.body_iterator])
    return response.body


def _next(response) -> str | None:
    for part in response.headers.get("link", "").split(","):
        if 'rel="next"' in part and "<" in part:
            url = urlsplit(part[part.index("<") + 1 : part.index(">")])
            return url.path + ("?" + url.query if url.query else "")
    return None


async def read(response) -> Results:
    """The API's answer as table rows: SELECT bindings, an ASK boolean, or a graph's triples."""
    body, ctype = await _body(response), response.headers.get("content-type", "")
    if ctype.startswith("application/n-triples"):
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        rows = [
            {"subject": term(t.subject), "predicate": term(t.predicate), "object": term(t.object)}
            for t in triples
        ]
        return Results("graph", ["subject", "predicate", "object"], rows[:SHOWN], len(rows))
    data = json.loads(body)
    if "boolean" in data:
        return Results("ask", boolean=bool(data["boolean"]))
    bindings = data["results"]["bindings"]
    rows = [{k: json_term(v) for k, v in b.items()} for b in bindings[:SHOWN]]
    return Results("select", data["head"]["vars"], rows, len(bindings), next=_next(response))
