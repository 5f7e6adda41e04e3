"""Trusts' spreadsheets over HTTP, on a real server with a writable disk store: PUT of XLSX and CSV,
bad sheets answered 422 naming sheet, row and column with the store unchanged, the template, the
package export, and RDF uploads with untraced triples refused."""

from __future__ import annotations

import hashlib
import io

import httpx
import pytest
from openpyxl import load_workbook

from tests.sheet_files import BAD_SHEETS, CSV, FIXTURE_CSV, FIXTURE_XLSX, TRUST, XLSX

from .conftest import uvicorn_server

TOKEN = "sheet-curator-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
PARAMS = {"trust": TRUST, "cluster": "2"}
LOCAL = "https://w3id.org/otkg/graph/local/"
GRAPHS = (
    f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{LOCAL}")) }} '
    "GROUP BY ?g ORDER BY ?g"
)


@pytest.fixture(scope="module")
def server(build_dir, tmp_path_factory):
    store = tmp_path_factory.mktemp("sheet-store")
    with uvicorn_server(
        build_dir,
        tmp_path_factory.mktemp("sheets"),
        store="disk",
        store_dir=store,
        write_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
    ) as url:
        yield url, store


def local_graphs(url: str) -> str:
    r = httpx.get(url + "/sparql", params={"query": GRAPHS}, headers={"accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.text


def put(url: str, slug: str, body: bytes, media: str, params=PARAMS, **headers) -> httpx.Response:
    return httpx.put(
        f"{url}/graph/local/{slug}",
        content=body,
        params=params,
        headers={**AUTH, "content-type": media, **headers},
        timeout=120,
    )


def test_sheets_upload_as_local_graphs(server):
    url = server[0]
    r = put(url, "synthetic-trust", FIXTURE_XLSX.read_bytes(), XLSX)
    assert r.status_code == 201, r.text
    assert (r.headers["location"], r.headers["x-otkg-triples"]) == (LOCAL + "synthetic-trust", "1677")
    entity = httpx.get(
        url + "/id/local/synthetic-trust/package", headers={"accept": "application/json"}
    ).json()
    assert entity["properties"]["https://w3id.org/otkg/ontology#adaptedFrom"] == [
        {"iri": "https://w3id.org/otkg/id/ot-package-cluster-2"}
    ]
    assert put(url, "synthetic-trust", FIXTURE_CSV.read_bytes(), CSV).status_code == 204  # replaced
    r = put(
        url,
        "synthetic-csv",
        FIXTURE_CSV.read_bytes(),
        f"{CSV}; charset=utf-8",
        **{"content-disposition": 'attachment; filename="trust.csv"'},
    )
    assert r.status_code == 201, r.text
    name = httpx.get(
        url + "/sparql",
        headers={"accept": "text/csv"},
        params={
            "query": (
                f"SELECT ?f WHERE {{ GRAPH <{LOCAL}synthetic-csv> {{ ?d <https://w3id.org/otkg/ontology#fileName> ?f }} }}"
            )
        },
    )
    assert name.text.split("\r\n")[1] == "trust.csv"


@pytest.mark.parametrize("case", BAD_SHEETS, ids=[c[0] for c in BAD_SHEETS])
def test_a_bad_sheet_is_answered_422_at_its_cell_and_nothing_is_stored(server, case):
    url, store = server
    _, body, media, cluster, (sheet, row, column), words = case
    before, generation = local_graphs(url), (store / "current").read_text()
    r = put(url, "bad-sheet", body, media, params={"trust": TRUST, "cluster": cluster})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
    first = r.json()["errors"][0]
    assert (first["sheet"], first["row"], first["column"]) == (sheet, row, column), r.json()
    assert first["cell"] == (f"{column}{row}" if column and row else None)
    assert words.lower() in first["message"].lower()
    assert local_graphs(url) == before and (store / "current").read_text() == generation


def test_sheet_uploads_need_trust_and_cluster_a_token_and_a_small_file(server):
    url = server[0]
    body = FIXTURE_XLSX.read_bytes()
    r = put(url, "trust-x", body, XLSX, params={"cluster": "2"})
    assert (r.status_code, r.json()["parameter"]) == (422, "trust")
    r = httpx.put(f"{url}/graph/local/trust-x", content=body, params=PARAMS, headers={"content-type": XLSX})
    assert r.status_code == 401
    assert put(url, "trust-x", b"\0" * 10_000_001, XLSX).status_code == 413
    assert put(url, "Trust_X", body, XLSX).status_code == 400
    assert LOCAL + "trust-x" not in local_graphs(url)


def test_an_rdf_upload_with_untraced_triples_is_refused(server):
    url = server[0]
    body = (
        b"<https://w3id.org/otkg/id/local/untraced/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        b"<https://w3id.org/otkg/ontology#LocalCarePackage> .\n"
        b"<https://w3id.org/otkg/id/local/untraced/p> <https://w3id.org/otkg/ontology#forCluster> "
        b"<https://w3id.org/otkg/id/cluster-2> .\n"
    )
    r = httpx.put(
        url + "/graph/local/untraced", content=body, headers={**AUTH, "content-type": "application/n-triples"}
    )
    assert r.status_code == 422 and r.json()["title"] == "Untraced triples", r.text
    assert r.json()["violations"] == [
        "<https://w3id.org/otkg/id/local/untraced/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/otkg/ontology#LocalCarePackage>",
        "<https://w3id.org/otkg/id/local/untraced/p> <https://w3id.org/otkg/ontology#forCluster> "
        "<https://w3id.org/otkg/id/cluster-2>",
    ]
    assert LOCAL + "untraced" not in local_graphs(url)


def test_the_template_is_served(server):
    r = httpx.get(server[0] + "/templates/care-package.xlsx", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    wb = load_workbook(io.BytesIO(r.content))
    assert (
        wb.sheetnames == ["Package", "Lists", "Instructions"] and wb["Package"]["D4"].value == "Intervention"
    )


def test_packages_export_as_xlsx_and_import_back(server):
    url = server[0]
    assert put(url, "exported-from", FIXTURE_XLSX.read_bytes(), XLSX).status_code in (201, 204)
    r = httpx.get(
        url + "/packages/export.xlsx",
        params={"package": "https://w3id.org/otkg/id/local/exported-from/package"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert put(url, "exported-back", r.content, XLSX).status_code == 201
    r = httpx.get(
        url + "/packages/export.xlsx", params={"package": "https://w3id.org/otkg/id/ot-package-cluster-2"}
    )
    assert r.status_code == 200 and load_workbook(io.BytesIO(r.content))["Package"]["F5"].value == "level 5-6"
    r = httpx.get(url + "/packages/export.xlsx", params={"package": "https://w3id.org/otkg/id/nothing-here"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    r = httpx.get(url + "/packages/export.xlsx", params={"package": "not an iri"})
    assert (r.status_code, r.json()["parameter"]) == (422, "package")
