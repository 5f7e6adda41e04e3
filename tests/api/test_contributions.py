"""Trusts' contributions through a real server (issue 20): scoped credentials, the content rules
against each attack the issue lists (nothing stored, no national page changed), and a history from
which every replaced or removed version comes back."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from otkg.kg.contrib import credentials

from tests.sheet_files import FIXTURE_CSV, TRUST

from .conftest import uvicorn_server

LOCAL, ID = "https://w3id.org/otkg/graph/local/", "https://w3id.org/otkg/id/"
ADMIN_TOKEN = "contributions-admin-token"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TRIPLES_OF = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } } ORDER BY ?s ?p ?o"
PAGES = ["/id/intervention-04", "/id/cluster-2", "/trace?iri=" + ID + "intervention-04"]
CSV = {"content-type": "text/csv"}
TTL = {"content-type": "text/turtle"}
PREFIXES = (
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix otkg: <https://w3id.org/otkg/ontology#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
)


@pytest.fixture(scope="module")
def server(build_dir, tmp_path_factory):
    """A writable server with an admin (the older setting) and two Trusts' credentials."""
    store = tmp_path_factory.mktemp("contributions-store")
    creds = store / "credentials.json"
    tokens = {
        "camden": credentials.issue(creds, "Camden OT lead", "camden"),
        "herts": credentials.issue(creds, "Herts OT lead", "herts-*"),
        "revoked": credentials.issue(creds, "Former lead", "camden"),
    }
    credentials.revoke(creds, "Former lead")
    env = {
        "store": "disk",
        "store_dir": store,
        "write_token_sha256": hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest(),
    }
    with uvicorn_server(build_dir, tmp_path_factory.mktemp("contributions"), **env) as url:
        yield url, store, tokens


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def put_sheet(url: str, slug: str, token: str, body: bytes | None = None) -> httpx.Response:
    return httpx.put(
        f"{url}/graph/local/{slug}",
        content=FIXTURE_CSV.read_bytes() if body is None else body,
        params={"trust": TRUST, "cluster": "2"},
        headers={**CSV, **auth(token)},
        timeout=60,
    )


def sparql(url: str, query: str) -> str:
    r = httpx.get(url + "/sparql", params={"query": query}, headers={"accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.text


def national(url: str) -> list[str]:
    """The national pages an attack must leave as they were: their JSON, byte for byte."""
    out = []
    for page in PAGES:
        r = httpx.get(url + page, headers={"accept": "application/json"}, timeout=30)
        assert r.status_code == 200, (page, r.text)
        out.append(r.text)
    return out


def test_a_credential_writes_its_own_scope_only(server):
    url, _, tokens = server
    assert put_sheet(url, "herts-cluster-2", tokens["herts"]).status_code == 201
    refused = put_sheet(url, "camden", tokens["herts"])
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert (
        refused.json()["detail"]
        == "the credential 'Herts OT lead' may write local graphs 'herts-*' only, not 'camden'"
    )
    assert refused.json()["scope"] == "herts-*"
    assert (
        httpx.delete(f"{url}/graph/local/herts-cluster-2", headers=auth(tokens["camden"])).status_code == 403
    )
    revoked = put_sheet(url, "camden", tokens["revoked"])
    assert (
        revoked.status_code == 401 and revoked.json()["detail"] == "the credential 'Former lead' is revoked"
    )
    assert sparql(url, f"ASK {{ GRAPH <{LOCAL}camden> {{ ?s ?p ?o }} }}").strip().endswith("false")


def _hacked_label() -> str:
    """A triple about a national entity, with its own statement and claim: traced, yet not its own."""
    from otkg.kg.pipeline.assemble import statement_iri
    from rdflib import Literal, URIRef

    s, p = URIRef(ID + "intervention-04"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    st = statement_iri(s, p, Literal("HACKED"))
    claim = "<https://w3id.org/otkg/claim/local/camden/c1>"
    return (
        f'<{s}> rdfs:label "HACKED" . <{st}> a rdf:Statement ; rdf:subject <{s}> ; rdf:predicate rdfs:label ;'
        f' rdf:object "HACKED" . {claim} a otkg:Claim ; otkg:supports <{st}> .\n'
        f"<{ID}local/camden/package> a otkg:LocalCarePackage .\n"
    )


ATTACKS = [
    ("subclass of nothing", "otkg:CareCluster rdfs:subClassOf owl:Nothing .", "subject: an ontology term"),
    (
        "second class label",
        'otkg:CareCluster rdfs:label "care cluster (hacked)"@en .',
        "subject: an ontology term",
    ),
    (
        "national claim's body",
        "<https://w3id.org/otkg/claim/doc-000/x> <http://www.w3.org/ns/oa#hasBody> <https://w3id.org/otkg/id/x> .",
        "subject: a national claim",
    ),
    ("outside otkg", '<http://evil.example/x> rdfs:label "x" .', "subject: outside otkg"),
    ("blank node", '[] rdfs:label "x" .', "blank node"),
    ("national label", _hacked_label(), "subject: a national entity"),
    (
        "formula in RDF",
        f'<{ID}local/camden/package> rdfs:label "=HYPERLINK(\\"http://evil.example\\")" .',
        "formula",
    ),
]


@pytest.mark.parametrize("body,rule", [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_each_attack_is_refused_and_changes_nothing(server, body, rule):
    url, _, tokens = server
    before, pages = sparql(url, QUADS), national(url)
    r = httpx.put(
        f"{url}/graph/local/camden",
        content=(PREFIXES + body).encode(),
        headers={**TTL, **auth(tokens["camden"])},
    )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["title"] == "Upload breaks the content rules"
    assert any(rule in o["rule"] for o in problem["offences"]) and all(
        {"triple", "rule"} == o.keys() for o in problem["offences"]
    )
    assert sparql(url, QUADS) == before and national(url) == pages


@pytest.mark.parametrize("cell", ["+cmd|' /C calc'!A0", '@HYPERLINK("http://evil.example")', "-2+3"])
def test_a_sheet_cell_a_spreadsheet_would_run_is_refused_at_its_cell(server, cell):
    url, _, tokens = server
    before = sparql(url, QUADS)
    # the Resources cell of row 5 takes free text
    body = FIXTURE_CSV.read_bytes().replace(b"workbook and vocational resource pack", f'"{cell}"'.encode())
    assert body != FIXTURE_CSV.read_bytes()
    r = put_sheet(url, "camden", tokens["camden"], body)
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert error["cell"] == "H5" and "spreadsheet formula" in error["message"]
    assert sparql(url, QUADS) == before


def test_replaced_and_removed_versions_come_back_exactly(server):
    url, store, tokens = server
    admin, camden = auth(ADMIN_TOKEN), tokens["camden"]
    first = FIXTURE_CSV.read_bytes()
    second = first.replace(b"sets weekly activity goals", b"sets daily activity goals")
    assert put_sheet(url, "camden", camden, first).status_code == 201
    v1 = sparql(url, TRIPLES_OF % (LOCAL + "camden"))
    assert put_sheet(url, "camden", camden, second).status_code == 204
    assert sparql(url, TRIPLES_OF % (LOCAL + "camden")) != v1
    assert httpx.delete(f"{url}/graph/local/camden", headers=auth(camden)).status_code == 204
    writes = httpx.get(f"{url}/graph/local/camden/history").json()["writes"]
    assert [(w["number"], w["result"], w["by"]) for w in writes] == [
        (1, "created", "Camden OT lead"),
        (2, "replaced", "Camden OT lead"),
        (3, "deleted", "Camden OT lead"),
    ]
    assert writes[0]["sha256"] == hashlib.sha256(first).hexdigest() and writes[0]["triples"] > 1000
    # a removed graph comes back by an admin only; the Trust's own credential may not
    restore = f"{url}/graph/local/camden/history/1/restore"
    assert httpx.post(restore, headers=auth(camden)).status_code == 403
    r = httpx.post(restore, headers=admin, timeout=60)
    assert r.status_code == 201, r.text
    assert sparql(url, TRIPLES_OF % (LOCAL + "camden")) == v1  # the same triples, to the byte
    last = httpx.get(f"{url}/graph/local/camden/history").json()["writes"][-1]
    assert (last["number"], last["result"], last["restores"], last["by"]) == (
        4,
        "restored",
        1,
        "OTKG_WRITE_TOKEN_SHA256 #1",
    )
    # the audit graph answers SPARQL like any other
    audit = sparql(
        url,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/otkg/graph/audit> { ?a a <http://www.w3.org/ns/prov#Activity> } }",
    )
    assert int(audit.split()[1]) >= 4
    assert (
        httpx.post(f"{url}/graph/local/camden/history/3/restore", headers=admin).status_code == 404
    )  # a removal stored nothing
    assert (store / "history" / "camden" / "000001.nt").exists()
