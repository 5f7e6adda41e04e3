"""otkg never makes an outbound request (issue 5): a canary listener on loopback counts connections
while a live server is sent every request that could make it fetch something.

pyoxigraph itself does fetch: SERVICE sends the query to the endpoint and LOAD gets the document
(both checked here, so the canary is known to hear them). The API refuses both before the engine
sees the query, so its guard is also tested as a property over crafted texts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from otkg.api.errors import Problem
from otkg.api.routers.sparql import check_query_text

JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
GUARD_EXAMPLES = 2000


@dataclass
class Req:
    """One request, built from the canary's base URL (http://127.0.0.1:PORT)."""

    id: str
    build: Callable[[str], dict]  # canary URL -> httpx.request keyword arguments (method, url, ...)
    expect: set[int] = field(default_factory=lambda: {200})


def get(path: str, **kw) -> Callable:
    return lambda c: {"method": "GET", "url": path.format(c=c), **_fill(kw, c)}


def post(path: str, **kw) -> Callable:
    return lambda c: {"method": "POST", "url": path.format(c=c), **_fill(kw, c)}


def _fill(kw: dict, c: str) -> dict:
    """Put the canary URL ({c}) and host ({h}) into every string, bytes, list and dict of the arguments."""
    h = c.removeprefix("http://")

    def fill(v):
        if isinstance(v, str):
            return v.replace("{c}", c).replace("{h}", h)
        if isinstance(v, bytes):
            return v.replace(b"{c}", c.encode())
        if isinstance(v, dict):
            return {k: fill(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fill(x) for x in v]
        return v

    return {k: fill(v) for k, v in kw.items()}


def sparql(query: str, accept: str = JSON, **params) -> Callable:
    return get("/sparql", params={"query": query, **params}, headers={"accept": accept})


SPO = "{ ?s ?p ?o }"
# Every way a request could make otkg fetch. Each builder gets the canary's base URL.
REQUESTS: list[Req] = [
    # SPARQL federation and loading, in every spelling and through every protocol route
    Req("service", sparql("SELECT * WHERE { SERVICE <{c}/sparql> " + SPO + " }"), {400}),
    Req("service-silent-lower", sparql("select * where { service silent <{c}/> " + SPO + " }"), {400}),
    Req("service-variable", sparql("SELECT * WHERE { BIND(<{c}/> AS ?e) SERVICE ?e " + SPO + " }"), {400}),
    Req(
        "service-relative-to-host",
        get(
            "/sparql",
            params={"query": "SELECT * WHERE { SERVICE <sparql> {} }"},
            headers={"accept": JSON, "host": "{h}"},
        ),
        {400},
    ),
    Req(
        "from-relative-to-host",
        get(
            "/sparql",
            params={"query": "SELECT * FROM <g> WHERE " + SPO},
            headers={"accept": JSON, "host": "{h}"},
        ),
    ),
    Req("service-base", sparql("BASE <{c}/> SELECT * WHERE { SERVICE <x> " + SPO + " }"), {400}),
    Req(
        "service-post-form",
        post(
            "/sparql",
            content=b"query=ASK+%7B+SERVICE+%3C{c}%2F%3E+%7B%7D+%7D",
            headers={"content-type": FORM, "accept": JSON},
        ),
        {400},
    ),
    Req(
        "service-post-direct",
        post(
            "/sparql",
            content=b"SELECT * WHERE { SERVICE <{c}/> { } }",
            headers={"content-type": DIRECT, "accept": JSON},
        ),
        {400},
    ),
    # the guard's lexer against the engine's: each hid SERVICE from the keyword check before issue 5
    Req("service-after-cr-comment", sparql("SELECT * WHERE { #x\rSERVICE <{c}/> " + SPO + " }"), {400}),
    Req(
        "service-after-escaped-long-string",
        sparql('SELECT * WHERE { BIND("""a\\"""" AS ?x) SERVICE <{c}/> ' + SPO + ' BIND("" AS ?y) }'),
        {400},
    ),
    Req(
        "service-after-uchar-iri-with-hash",
        sparql("SELECT * WHERE { BIND(<http://x/\\u0041#> AS ?x) SERVICE <{c}/> " + SPO + " }"),
        {400},
    ),
    Req(
        "service-after-nbsp-iri-with-hash",
        sparql("SELECT * WHERE { BIND(<http://x/a\u00a0#> AS ?x) SERVICE <{c}/> " + SPO + " }"),
        {400},
    ),
    Req(
        "service-after-less-than-read-as-iri",
        sparql("SELECT * WHERE { FILTER(1<2&&'>' != '') SERVICE <{c}/> { } FILTER('' = '') }"),
        {400},
    ),
    Req(
        "service-after-iri-hash-and-less-than",
        sparql("SELECT * WHERE { ?s <http://x/#> ?o . BIND(1<2&&'>'!='' AS ?x) SERVICE <{c}/> {} }"),
        {400},
    ),
    Req(
        "service-after-escaped-hash-in-name",
        sparql("PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a\\# ?o . SERVICE <{c}/> { } }"),
        {400},
    ),
    # glued to the literal before it: pyoxigraph reads `1SERVICE` as 1 then SERVICE (issue 22)
    Req(
        "service-glued-to-a-number",
        sparql(
            "SELECT * WHERE { ?c <https://w3id.org/otkg/ontology#clusterCode> 1SERVICE <{c}/> " + SPO + " }"
        ),
        {400},
    ),
    Req("service-glued-to-true", sparql("SELECT * WHERE { [] ?p trueSERVICE <{c}/> " + SPO + " }"), {400}),
    Req("load-as-query", sparql("LOAD <{c}/data.ttl>"), {400}),
    Req(
        "load-update-direct",
        post(
            "/sparql", content=b"LOAD <{c}/data.ttl>", headers={"content-type": "application/sparql-update"}
        ),
        {403},
    ),
    Req(
        "load-update-form",
        post("/sparql", content=b"update=LOAD+%3C{c}%2Fdata.ttl%3E", headers={"content-type": FORM}),
        {403},
    ),
    Req("load-update-in-get", get("/sparql", params={"update": "LOAD <{c}/data.ttl>"}), {403}),
    # datasets name graphs in the store; nothing is fetched
    Req("from", sparql("SELECT (COUNT(*) AS ?n) FROM <{c}/g> WHERE " + SPO)),
    Req("from-named", sparql("SELECT * FROM NAMED <{c}/g> WHERE { GRAPH ?g " + SPO + " }")),
    Req(
        "default-graph-uri",
        get(
            "/sparql", params={"query": "ASK " + SPO, "default-graph-uri": "{c}/g"}, headers={"accept": JSON}
        ),
    ),
    Req(
        "named-graph-uri",
        get(
            "/sparql",
            params={
                "query": "SELECT * WHERE { GRAPH ?g " + SPO + " }",
                "named-graph-uri": ["{c}/g", "{c}/h"],
            },
            headers={"accept": JSON},
        ),
    ),
    Req("graph-pattern", sparql("SELECT * WHERE { GRAPH <{c}/g> " + SPO + " }")),
    Req("describe", sparql("DESCRIBE <{c}/x>", accept="application/ld+json")),
    Req("construct-jsonld", sparql("CONSTRUCT { <{c}/x> ?p ?o } WHERE " + SPO + " LIMIT 3", format="jsonld")),
    Req("iri-function", sparql("SELECT (IRI('{c}/x') AS ?i) (URI(STR(<{c}/y>)) AS ?j) WHERE {}")),
    # named-query parameters pointing at the canary
    Req(
        "param-entity",
        get(
            "/queries/describe-entity", params={"entity": "{c}/x"}, headers={"accept": "application/ld+json"}
        ),
    ),
    Req("param-graph", get("/queries/export-document-graph", params={"graph": "{c}/g", "format": "jsonld"})),
    Req("param-reference", get("/queries/claims-citing-reference", params={"reference": "{c}/r"})),
    # entities, trace, search, JSON-LD
    Req("entity-jsonld-accept", get("/id/cluster-14", headers={"accept": "application/ld+json"})),
    Req("entity-jsonld-format", get("/id/cluster-14", params={"format": "jsonld"})),
    Req("entity-rdfxml", get("/id/cluster-14", headers={"accept": "application/rdf+xml"})),
    Req("entity-path-to-canary", get("/id/{c}/x"), {404}),
    Req("trace-canary", get("/trace", params={"iri": "{c}/x"}), {422}),
    Req("search-canary", get("/search", params={"q": "{c}/x"})),
    Req("service-description-jsonld", get("/sparql", headers={"accept": "application/ld+json"})),
    # ---- the lead extends this list: uploads (JSON-LD with a remote @context, ...) ----------------
]


def test_pyoxigraph_itself_would_fetch_so_the_canary_hears_it(canary):
    """The control: without otkg's guard the engine does connect (SERVICE), so silence below means
    otkg stopped it, not that the canary is deaf."""
    before = canary.connections
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{canary.url}/> {{ ?s ?p ?o }} }}"))
    deadline = time.monotonic() + 5
    while canary.connections == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert canary.connections == before + 1 and canary.seen[-1].startswith(b"POST /")
    canary.seen.pop()


@pytest.mark.parametrize("req", REQUESTS, ids=[r.id for r in REQUESTS])
def test_no_request_makes_otkg_connect_anywhere(live_server, canary, req):
    with httpx.Client(base_url=live_server, timeout=30) as http:
        r = http.request(**req.build(canary.url))
    assert r.status_code in req.expect, r.text[:500]
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json")
    assert canary.seen == [], f"otkg connected to the canary: {canary.seen}"


def test_the_canary_heard_nothing_at_the_end(live_server, canary):
    time.sleep(0.5)  # a fetch started late would still land here
    assert canary.seen == []


# Whole pattern elements, valid SPARQL, that a lexer without a parser may misread ({v}: a fresh variable).
SNIPPETS = [
    "#c\n",
    "#c\r",
    "# \" ' < \n",
    'BIND("""a\\"""" AS {v})',
    "BIND('''a\\'''' AS {v})",
    'BIND("a#b" AS {v})',
    "BIND('<' AS {v})",
    "BIND('\\'' AS {v})",
    "FILTER(1<2&&'>'!='')",
    "FILTER(1<2)",
    "FILTER(2>1)",
    "FILTER({v}<{v}||'>'='')",
    "?s <http://x/#> ?o .",
    "?s <http://x/\\u0041#> ?o .",
    "?s <http://x/'> ?o .",
    "?s <http://x/a\u00a0#> ?o .",
    "?s ex:a\\# ?o .",
    "?s ex:a\\' ?o .",
    "\r",
    "\n",
    " ",
    "\t",
]


def _piece():
    return st.one_of(st.sampled_from(SNIPPETS), _fragment())


def _fragment():
    """Pieces of SPARQL text where a lexer without a parser can be led astray."""
    tricky = [
        "<",
        ">",
        "<=",
        "'",
        '"',
        "'''",
        '"""',
        "\\",
        '\\"',
        "\\'",
        "#",
        "\n",
        "\r",
        " ",
        "\u00a0",
        "\\u0041",
        "1<2&&'>'!=''",
        "<http://x/#>",
        "<http://x/'>",
        "ex:a\\#",
        "ex:a\\'",
        "FILTER(",
        ")",
        "{",
        "}",
        "BIND(",
        " AS ?x)",
        "?s ?p ?o",
        ".",
        "&&",
        "!=",
        "''",
        '""',
        "SERVICE",
        "service",
        "?e",
        "LOAD",
    ]
    return st.one_of(st.sampled_from(tricky), st.text(alphabet="<>'\"#\\{}() \n\rab", max_size=4))


@pytest.fixture(scope="module")
def engine():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))
    return store


def test_a_query_the_guard_lets_through_never_reaches_the_canary(canary, engine):
    """Property: for crafted texts around a SERVICE clause that targets the canary, the guard
    (check_query_text) refuses, or the engine rejects the text, or it runs without any connection."""
    service = f" SERVICE <{canary.url}/> {{ ?s ?p ?o }} "

    @settings(
        max_examples=GUARD_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(_piece(), max_size=6), st.lists(_piece(), max_size=6), st.booleans())
    def check(before, after, prefix):
        head = ("PREFIX ex: <http://x/> " if prefix else "") + "SELECT * WHERE { "
        pieces = [piece.replace("{v}", f"?v{i}") for i, piece in enumerate(before + [service] + after)]
        text = head + " ".join(pieces) + " }"
        try:
            check_query_text(text, 65536)
        except Problem:
            return
        heard = canary.connections
        try:
            list(engine.query(text, use_default_graph_as_union=True))
        except SyntaxError:
            pass
        except OSError as exc:  # the engine's HTTP client failed: it did try to connect
            pytest.fail(f"the guard let through {text!r}: {exc}")
        assert canary.connections == heard, f"the guard let through {text!r}"

    check()
    assert canary.seen == []


# Uploads: parsed with no document loader, contexts by IRI and DOCTYPEs refused before parsing.
UPLOAD_TOKEN = "canary-upload-token"
UPLOADS = [
    (
        "jsonld-remote-context",
        "application/ld+json",
        '{"@context": "{c}/ctx.jsonld", "@id": "urn:x", "n": "y"}',
        400,
    ),
    (
        "jsonld-context-list",
        "application/ld+json",
        '{"@context": [{"a": "urn:a#"}, "{c}/c"], "@id": "urn:x"}',
        400,
    ),
    ("jsonld-import", "application/ld+json", '{"@context": {"@import": "{c}/i"}, "@id": "urn:x"}', 400),
    (
        "jsonld-scoped-context",
        "application/ld+json",
        '{"@context": {"t": {"@id": "urn:t", "@context": "{c}/s"}}, "@id": "urn:x", "t": {"@id": "urn:y"}}',
        400,
    ),
    (
        "rdfxml-external-entity",
        "application/rdf+xml",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{c}/e">]><r>&e;</r>',
        400,
    ),
    ("turtle-iris-at-canary", "text/turtle", "@prefix c: <{c}/> . c:s c:p c:o .", 422),
    (
        "rdfxml-resource-at-canary",
        "application/rdf+xml",
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="{c}/s"><rdf:seeAlso rdf:resource="{c}/o"/></rdf:Description></rdf:RDF>',
        422,
    ),
]


@pytest.fixture(scope="module")
def writable_server(build_dir, tmp_path_factory):
    import hashlib

    from tests.api.conftest import uvicorn_server

    with uvicorn_server(
        build_dir,
        tmp_path_factory.mktemp("canary-writes"),
        store="disk",
        store_dir=tmp_path_factory.mktemp("canary-store"),
        write_token_sha256=hashlib.sha256(UPLOAD_TOKEN.encode()).hexdigest(),
    ) as url:
        yield url


@pytest.mark.parametrize("case", UPLOADS, ids=[u[0] for u in UPLOADS])
def test_no_upload_makes_otkg_connect_anywhere(writable_server, canary, case):
    _, media, body, status = case
    r = httpx.put(
        writable_server + "/graph/local/canary",
        content=body.replace("{c}", canary.url).encode(),
        headers={"content-type": media, "authorization": f"Bearer {UPLOAD_TOKEN}"},
        timeout=30,
    )
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    time.sleep(0.2)
    assert canary.seen == [], f"otkg connected to the canary: {canary.seen}"
