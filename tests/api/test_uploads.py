"""Token-authenticated uploads of a Trust's local package, through a real server on the disk store."""

from __future__ import annotations

import functools
import hashlib
import json
from urllib.parse import quote

import httpx
import pytest
from otkg.kg.pipeline.scale import trust_upload

from .conftest import uvicorn_server

TOKEN = "curator-token-for-tests"
LOCAL = "https://w3id.org/otkg/graph/local/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }"
NT = {"content-type": "application/n-triples", "authorization": f"Bearer {TOKEN}"}


@functools.cache
def package_for(slug: str) -> bytes:
    """Synthetic Trust 3's package, its IRIs under the slug it is uploaded as."""
    return trust_upload(3, slug)


@pytest.fixture(scope="module")
def writable(build_dir, tmp_path_factory):
    store = tmp_path_factory.mktemp("writable-store")
    log = tmp_path_factory.mktemp("writable")
    with uvicorn_server(
        build_dir,
        log,
        store="disk",
        store_dir=store,
        write_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
    ) as url:
        yield url, store, log


def count(url: str, graph: str) -> int:
    r = httpx.get(url + "/sparql", params={"query": COUNT % graph}, headers={"accept": "text/csv"})
    assert r.status_code == 200, r.text
    return int(r.text.split("\r\n")[1])


def test_writes_need_a_valid_token(writable):
    url = writable[0]
    r = httpx.put(
        url + "/graph/local/trust-a",
        content=package_for("trust-a"),
        headers={"content-type": "application/n-triples"},
    )
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert r.headers["content-type"] == "application/problem+json"
    r = httpx.put(
        url + "/graph/local/trust-a",
        content=package_for("trust-a"),
        headers={**NT, "authorization": "Bearer wrong"},
    )
    assert r.status_code == 401 and r.json()["detail"] == "the credential is not valid"
    r = httpx.delete(url + "/graph/local/trust-a", headers={"authorization": "Basic eDp5"})
    assert r.status_code == 401
    assert count(url, LOCAL + "trust-a") == 0


def test_upload_is_stored_queryable_replaced_and_removed(writable):
    url = writable[0]
    r = httpx.put(url + "/graph/local/trust-b", content=package_for("trust-b"), headers=NT, timeout=60)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == LOCAL + "trust-b" and r.headers["x-otkg-triples"] == "20378"
    assert count(url, LOCAL + "trust-b") == 20378
    # the package's entities resolve like the national ones, with their quoted provenance
    entity = httpx.get(url + "/id/local/trust-b/syn-pkg-3-14", headers={"accept": "application/json"})
    assert entity.status_code == 200
    assert entity.json()["properties"]["https://w3id.org/otkg/ontology#forCluster"] == [
        {"iri": "https://w3id.org/otkg/id/cluster-14"}
    ]
    r = httpx.put(url + "/graph/local/trust-b", content=package_for("trust-b"), headers=NT, timeout=60)
    assert r.status_code == 204  # replaced, not doubled
    assert count(url, LOCAL + "trust-b") == 20378
    assert httpx.delete(url + "/graph/local/trust-b", headers=NT).status_code == 204
    assert count(url, LOCAL + "trust-b") == 0
    assert httpx.delete(url + "/graph/local/trust-b", headers=NT).status_code == 404


BAD_UPLOADS = [
    ("bad slug", "/graph/local/Trust_A", b"", "application/n-triples", 400, "Bad graph name"),
    ("traversal", "/graph/local/..%2F..%2Fetc", b"", "application/n-triples", 405, "Method not allowed"),
    ("media type", "/graph/local/trust-c", b"{}", "application/json", 415, "Unsupported media type"),
    ("malformed", "/graph/local/trust-c", b"<a> <b> .", "application/n-triples", 400, "Malformed upload"),
    (
        "remote context",
        "/graph/local/trust-c",
        json.dumps({"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "urn:x", "name": "y"}).encode(),
        "application/ld+json",
        400,
        "Remote context refused",
    ),
    (
        "nested remote context",
        "/graph/local/trust-c",
        json.dumps({"@context": [{"a": "urn:a#"}, "http://127.0.0.1:9/c"], "@id": "urn:x"}).encode(),
        "application/ld+json",
        400,
        "Remote context refused",
    ),
    (
        "entity expansion",
        "/graph/local/trust-c",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        "application/rdf+xml",
        400,
        "DOCTYPE refused",
    ),
    (
        "not a package",
        "/graph/local/trust-c",
        b'<https://w3id.org/otkg/id/local/trust-c/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n',
        "application/n-triples",
        422,
        "Not a local care package",
    ),
]


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=[c[0] for c in BAD_UPLOADS])
def test_bad_uploads_are_refused_and_change_nothing(writable, case):
    url = writable[0]
    _, path, body, ctype, status, title = case
    r = httpx.put(url + path, content=body, headers={**NT, "content-type": ctype})
    assert (r.status_code, r.json()["title"]) == (status, title), r.text
    assert count(url, LOCAL + "trust-c") == 0


def test_shacl_violations_are_listed_and_nothing_is_stored(writable):
    url = writable[0]
    broken = b"".join(
        line + b"\n"
        for line in package_for("trust-d").splitlines()
        if b"http://www.w3.org/ns/oa#exact" not in line
    )
    r = httpx.put(url + "/graph/local/trust-d", content=broken, headers=NT, timeout=60)
    assert r.status_code == 422 and r.json()["title"] == "Validation failed"
    assert any("exact" in v for v in r.json()["violations"])
    assert count(url, LOCAL + "trust-d") == 0


def test_too_large_upload_is_refused(writable):
    url = writable[0]
    r = httpx.put(url + "/graph/local/trust-e", content=b"#" * 10_000_001, headers=NT, timeout=60)
    assert r.status_code == 413 and r.json()["title"] == "Upload too large"


def test_an_acknowledged_upload_survives_a_restart(build_dir, tmp_path_factory):
    store = tmp_path_factory.mktemp("restart-store")
    env = {
        "store": "disk",
        "store_dir": store,
        "write_token_sha256": hashlib.sha256(TOKEN.encode()).hexdigest(),
    }
    with uvicorn_server(build_dir, tmp_path_factory.mktemp("first"), **env) as url:
        assert (
            httpx.put(
                url + "/graph/local/trust-f", content=package_for("trust-f"), headers=NT, timeout=60
            ).status_code
            == 201
        )
    with uvicorn_server(build_dir, tmp_path_factory.mktemp("second"), **env) as url:
        assert count(url, LOCAL + "trust-f") == 20378


def test_writes_are_off_without_tokens(live_server):
    r = httpx.put(live_server + "/graph/local/trust-g", content=package_for("trust-g"), headers=NT)
    assert r.status_code == 403 and r.json()["title"] == "Writes disabled"


def test_writes_are_never_cached_and_an_upload_changes_the_etags(writable):
    url = writable[0]
    query = url + "/sparql?query=" + quote(COUNT % (LOCAL + "trust-h"))
    before = httpx.get(query, headers={"accept": "text/csv"})
    assert before.headers["cache-control"] == "public, max-age=300"
    r = httpx.put(
        url + "/graph/local/trust-h",
        content=package_for("trust-h"),
        headers={**NT, "origin": "https://elsewhere.example"},
        timeout=60,
    )
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    assert "access-control-allow-origin" not in r.headers  # a write is never allowed cross-origin
    # the same URL within the same release: a cache revalidating its copy must get the new answer
    after = httpx.get(query, headers={"accept": "text/csv", "if-none-match": before.headers["etag"]})
    assert after.status_code == 200 and after.text != before.text
    removed = httpx.delete(url + "/graph/local/trust-h", headers=NT, timeout=60)  # a commit takes seconds
    assert removed.status_code == 204 and removed.headers["cache-control"] == "no-store"
