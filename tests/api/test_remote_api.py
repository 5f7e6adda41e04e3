"""The API behaves the same on a remote SPARQL server (oxigraph serve) as on the embedded store."""

import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.settings import Settings

REQUESTS = [
    ("/queries/cluster-by-code", {"code": "14", "format": "csv"}),
    ("/queries/evidence-for-entity", {"entity": "https://w3id.org/otkg/id/intervention-04", "format": "csv"}),
    ("/queries/care-clusters", {"limit": "5", "offset": "3", "format": "tsv"}),
    ("/queries/policy-sources-of-kind", {"kind": "NationalFramework", "format": "csv"}),
    (
        "/sparql",
        {
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/otkg/ontology#Claim> }",
            "format": "json",
        },
    ),
    ("/search", {"q": "vocational enablement"}),
]


@pytest.fixture(scope="module")
def remote_client(oxigraph_server, build_dir):
    settings = Settings(build_dir=build_dir, store="remote", sparql_url=oxigraph_server.query_url)
    with TestClient(create_app(settings=settings)) as c:
        yield c


@pytest.mark.parametrize("path,params", REQUESTS, ids=[r[0].rsplit("/", 1)[-1] for r in REQUESTS])
def test_remote_and_embedded_answers_match(client, remote_client, path, params):
    local, remote = client.get(path, params=params), remote_client.get(path, params=params)
    assert remote.status_code == local.status_code == 200
    assert remote.content == local.content


def test_trace_over_remote_store_matches(client, remote_client):
    params = {"iri": "https://w3id.org/otkg/id/element-kind-variance"}
    assert remote_client.get("/trace", params=params).json() == client.get("/trace", params=params).json()
