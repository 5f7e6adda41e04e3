"""The W3C SPARQL 1.1 Protocol tests (query side), read from the suite's manifest and replayed in process.

Each mf:ProtocolTest holds a list of ht:Request; every request is sent to the app as written (the
manifest's `/sparql/` path prefix becomes our `/sparql`) and its response is checked against the
manifest: the status class (mf:expectedStatus), the kind of representation (mf:expectedFormat:
"boolean", "tabular" or "RDF", checked by Content-Type and by parsing the body) and, for ASK, the
answer (mf:expectedBoolean). Update tests are skipped: otkg refuses SPARQL Update by design, which
test_update_requests_are_refused checks instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from .conftest import w3c_protocol_dir

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
PROBLEM = "application/problem+json"
UPDATE_REASON = "updates are refused by design"

# What each mf:expectedFormat allows, by media type (the suite's own lists, e.g. "expect one of: XML,
# JSON" for ASK, and "RDF/XML, Turtle, N-Triples, RDFa" for CONSTRUCT and DESCRIBE).
EXPECTED_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {
        "application/rdf+xml",
        "text/turtle",
        "application/n-triples",
        "application/xhtml+xml",
        "text/html",
    },
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: set[str]  # "2", "3", "4"
    expected_format: str | None = None
    expected_boolean: bool | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def carries_update(self) -> bool:
        query = urlsplit(self.path).query
        form = (
            (self.body or b"").decode("utf-8", "replace") if self.content_type.endswith("urlencoded") else ""
        )
        return self.content_type == "application/sparql-update" or any(
            p.startswith("update=") for p in f"{query}&{form}".split("&")
        )


@dataclass
class Case:
    name: str
    title: str
    requests: list[Request] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return "update" in self.name or any(r.carries_update for r in self.requests)


def _request(g: rdflib.Graph, node) -> Request:
    headers = {}
    if (hlist := g.value(node, HT.headers)) is not None:
        for h in Collection(g, hlist):
            headers[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    body = None
    if (b := g.value(node, HT.body)) is not None:
        body = str(g.value(b, CNT.chars)).encode(str(g.value(b, CNT.characterEncoding) or "UTF-8"))
    resp = g.value(node, HT.resp)
    statuses = {str(s)[-3] for s in g.objects(resp, MF.expectedStatus)}  # ...#StatusCode2xx -> "2"
    fmt, boolean = g.value(resp, MF.expectedFormat), g.value(resp, MF.expectedBoolean)
    path = str(g.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    return Request(
        str(g.value(node, HT.methodName)),
        "/sparql" + path[len("/sparql/") :],
        headers,
        body,
        statuses,
        str(fmt) if fmt is not None else None,
        boolean.toPython() if boolean is not None else None,
    )


def load_cases() -> list[Case]:
    """Every entry of the manifest, in its order, with its requests."""
    path = w3c_protocol_dir() / "manifest.ttl"
    g = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = g.value(None, rdflib.RDF.type, MF.Manifest)
    cases = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        case = Case(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)))
        action = g.value(entry, MF.action)
        case.requests = [_request(g, r) for r in Collection(g, g.value(action, HT.requests))]
        cases.append(case)
    return cases


def _params():
    if not (w3c_protocol_dir() / "manifest.ttl").is_file():
        # One case, so that the w3c_client fixture runs and fails saying where the suite should be.
        return [pytest.param(None, id="w3c-suite-missing")], []
    cases = load_cases()
    run = [
        pytest.param(c, id=c.name, marks=[pytest.mark.skip(reason=UPDATE_REASON)] if c.is_update else [])
        for c in cases
    ]
    return run, [pytest.param(c, id=c.name) for c in cases if c.is_update]


CASES, UPDATE_CASES = _params()


def send(client, req: Request):
    return client.request(req.method, req.path, headers=req.headers, content=req.body)


def check_representation(req: Request, resp) -> None:
    media_type = resp.headers.get("content-type", "").split(";")[0].strip()
    assert media_type in EXPECTED_TYPES[req.expected_format], (
        f"{media_type!r} is not a {req.expected_format} representation"
    )
    if req.expected_format == "RDF":
        list(ox.parse(resp.content, format=ox.RdfFormat.from_media_type(media_type)))
        return
    result = ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.from_media_type(media_type))
    if req.expected_format == "boolean":
        assert isinstance(result, ox.QueryBoolean), f"expected a boolean result, got {result!r}"
    else:
        assert isinstance(result, ox.QuerySolutions), f"expected solutions, got {result!r}"
        list(result)
    if req.expected_boolean is not None:
        assert bool(result) is req.expected_boolean


@pytest.mark.parametrize("case", CASES)
def test_protocol(w3c_client, case: Case):
    for i, req in enumerate(case.requests):
        resp = send(w3c_client, req)
        where = f"{case.name} request {i + 1} ({req.method} {req.path[:80]}): {resp.status_code} {resp.text[:300]}"
        assert str(resp.status_code)[0] in req.status_classes, where
        assert resp.status_code < 500, where
        if resp.status_code >= 400:
            assert resp.headers["content-type"].startswith(PROBLEM), where
        if req.expected_format:
            check_representation(req, resp)


@pytest.mark.parametrize("case", UPDATE_CASES)
def test_update_requests_are_refused(w3c_client, case: Case):
    """What otkg does instead: every update request is refused with a 4xx problem, 403 when well-formed."""
    for req in (r for r in case.requests if r.carries_update):
        resp = send(w3c_client, req)
        well_formed = (
            req.method == "POST"
            and req.content_type in ("application/sparql-update", "application/x-www-form-urlencoded")
        ) or req.method == "GET"
        assert resp.status_code == 403 if well_formed else 400 <= resp.status_code < 500, resp.text
        assert resp.headers["content-type"].startswith(PROBLEM)
