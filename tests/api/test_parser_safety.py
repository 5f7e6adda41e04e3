"""Parser safety (issue 22, item 3): a query that would overflow pyoxigraph's parser is refused with
400 problem+json before any worker sees it, the project's own queries all pass that check, and every
upload parser path answers deep or recursive input with a 4xx problem+json, never a 500 or a crash."""

from __future__ import annotations

import ast
import hashlib
import io
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.service import check_query_text
from otkg.api.settings import ROOT, Settings
from otkg.kg.pipeline import upload
from otkg.kg.sparql_depth import MAX_BRACKETS, MAX_LEVELS, nesting

from tests.kg.test_sparql_depth import DEEP
from tests.sheet_files import CSV, FIXTURE_XLSX, TRUST, XLSX

from .conftest import w3c_protocol_dir
from .test_w3c_protocol import load_cases

PROBLEM = "application/problem+json"


# -- queries ----------------------------------------------------------------------------------
@pytest.fixture
def pool_calls(w3c_client, monkeypatch):
    """Every job the app hands its query pool (which runs it in a worker or, once measured quick,
    in process), recorded before it runs."""
    pool = w3c_client.app.state.services.pool
    calls, run = [], pool.run

    async def recorded(job, *args, **kwargs):
        calls.append(job)
        return await run(job, *args, **kwargs)

    monkeypatch.setattr(pool, "run", recorded)
    return calls


@pytest.mark.parametrize("name", DEEP)
def test_a_deep_query_is_refused_before_any_worker(w3c_client, pool_calls, name):
    r = w3c_client.post("/sparql", content=DEEP[name], headers={"content-type": "application/sparql-query"})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert problem["title"] == "Query refused"
    assert f"at most {MAX_BRACKETS} are allowed" in problem["detail"] or (
        f"at most {MAX_LEVELS} are allowed" in problem["detail"]
    )
    assert pool_calls == []


def test_a_query_at_the_limit_runs_in_a_worker(w3c_client, pool_calls):
    # the recorder sees the jobs that do run, and a worker survives 1,000 levels of '!'
    query = "ASK { FILTER(" + "!" * 996 + "true) }"  # ASK, its group, FILTER, its (, 996 !
    assert nesting(query).levels == MAX_LEVELS
    r = w3c_client.get(
        "/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is True
    assert len(pool_calls) == 1
    r = w3c_client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200 and r.json()["boolean"] is True


def _own_queries() -> dict[str, str]:
    """The project's queries: the named ones, the QC ones, the texts in kg/query, and the W3C
    protocol tests' (in their query strings and bodies)."""
    files = sorted([*(ROOT / "queries").glob("*.rq"), *(ROOT / "ontology" / "qc").glob("*.rq")])
    found = {str(p.relative_to(ROOT)): p.read_text() for p in files}
    for module in sorted((ROOT / "kg" / "query").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            text = node.value if isinstance(node, ast.Constant) else None
            if (
                isinstance(text, str)
                and "{" in text
                and any(f in text for f in ("SELECT", "CONSTRUCT", "ASK"))
            ):
                found[f"{module.relative_to(ROOT)}:{node.lineno}"] = text
    if (w3c_protocol_dir() / "manifest.ttl").is_file():
        for case in load_cases():
            for i, req in enumerate(case.requests):
                params = parse_qs(urlsplit(req.path).query)
                body = (req.body or b"").decode("utf-8", "replace")
                if req.content_type.endswith("urlencoded"):
                    params.update(parse_qs(body))
                elif req.content_type == "application/sparql-query":
                    params["query"] = [body]
                for text in params.get("query", []):
                    found[f"w3c:{case.name}:{i}"] = text
    return found


OWN = _own_queries()


def test_the_own_queries_are_many():
    assert len([k for k in OWN if k.startswith("queries/")]) >= 60
    assert len([k for k in OWN if k.startswith("ontology/qc/")]) >= 10
    assert len([k for k in OWN if k.startswith("kg/")]) >= 5
    assert (
        len([k for k in OWN if k.startswith("w3c:")]) >= 20
        or not (w3c_protocol_dir() / "manifest.ttl").is_file()
    )


@pytest.mark.parametrize("name", OWN)
def test_the_projects_own_queries_pass(name):
    depth = nesting(OWN[name])  # measured even where the cheap count would skip the scan
    assert depth.brackets <= MAX_BRACKETS and depth.levels <= MAX_LEVELS and depth.unclear is None
    check_query_text(OWN[name], 65536)


# -- uploads ----------------------------------------------------------------------------------
TOKEN = "parser-safety-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
N = 100_000
RDF = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="http://x/">'
P = "<http://x/p>"


@pytest.fixture(scope="module")
def writable(build_dir, tmp_path_factory):
    settings = Settings(
        build_dir=build_dir,
        store="disk",
        store_dir=tmp_path_factory.mktemp("parser-safety-store"),
        write_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
        query_workers=1,
    )
    with TestClient(create_app(settings=settings), follow_redirects=False) as client:
        yield client


def _xlsx_with(member: str, close: bytes, inside: bytes) -> bytes:
    """The fixture workbook with `inside` put before `close` in one of its parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(FIXTURE_XLSX) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(
                info.filename, data.replace(close, inside + close) if info.filename == member else data
            )
    return out.getvalue()


# (media type, body, status, title): ~100,000 levels of each kind of nesting each parser reads
DEEP_UPLOADS = {
    "json-ld-arrays": ("application/ld+json", "[" * N + "]" * N, 400, "Nested too deep"),
    "json-ld-arrays-900": ("application/ld+json", "[" * 900 + "]" * 900, 400, "Nested too deep"),
    "json-ld-objects": ("application/ld+json", '{"http://x/p":' * N + "1" + "}" * N, 400, "Nested too deep"),
    "json-ld-lists": (
        "application/ld+json",
        '{"@id":"http://x/s","http://x/p":' + '{"@list":[' * N + "1" + "]}" * N + "}",
        400,
        "Nested too deep",
    ),
    "json-ld-contexts": (
        "application/ld+json",
        '{"@context":' + '{"@context":' * N + "{}" + "}" * N + "}",
        400,
        "Nested too deep",
    ),
    "turtle-blank-nodes": (
        "text/turtle",
        f"<http://x/s> {P} " + f"[ {P} " * N + "1" + " ]" * N + " .",
        400,
        "Nested too deep",
    ),
    "turtle-collections": (
        "text/turtle",
        f"<http://x/s> {P} " + "( " * N + "1" + " )" * N + " .",
        400,
        "Nested too deep",
    ),
    "turtle-quoted-triples": (
        "text/turtle",
        "<< " * N + f"<http://x/s> {P} 1 >>" + f" {P} 1 >>" * (N - 1) + f" {P} 1 .",
        400,
        "Nested too deep",
    ),
    "turtle-annotations": (
        "text/turtle",
        f"<http://x/s> {P} 1" + f" {{| {P} 1" * N + " |}" * N + " .",
        400,
        "Nested too deep",
    ),
    "n-triples-triple-terms": (
        "application/n-triples",
        f"<http://x/s> {P} " + "<<( " * N + f"<http://x/s> {P} <http://x/o>" + " )>>" * N + " .\n",
        400,
        "Nested too deep",
    ),
    "rdf-xml-elements": (
        "application/rdf+xml",
        RDF + "<rdf:Description><x:p>" * N + "</x:p></rdf:Description>" * N + "</rdf:RDF>",
        400,
        "Nested too deep",
    ),
    "rdf-xml-literal": (
        "application/rdf+xml",
        RDF
        + '<rdf:Description><x:p rdf:parseType="Literal">'
        + "<a>" * N
        + "</a>" * N
        + "</x:p></rdf:Description></rdf:RDF>",
        400,
        "Nested too deep",
    ),
    # openpyxl reads a workbook's parts with lxml, which stops at 256 levels, but its worksheets
    # with an iterparse that skips what it does not know: api.routers.sheets checks their depth
    "xlsx-workbook-part": (
        XLSX,
        _xlsx_with("xl/workbook.xml", b"</workbook>", b"<x>" * N + b"</x>" * N),
        422,
        "Invalid spreadsheet",
    ),
    "xlsx-worksheet": (
        XLSX,
        _xlsx_with("xl/worksheets/sheet1.xml", b"</worksheet>", b"<x>" * N + b"</x>" * N),
        422,
        "Nested too deep",
    ),
    "csv-one-huge-field": (CSV, 'Trust,"' + "(" * 200_000 + '"\n', 422, "Invalid spreadsheet"),
}


@pytest.mark.parametrize("name", DEEP_UPLOADS)
def test_a_deep_upload_answers_a_4xx_problem(writable, name):
    media, body, status, title = DEEP_UPLOADS[name]
    r = writable.put(
        "/graph/local/deep",
        content=body if isinstance(body, bytes) else body.encode(),
        params={"trust": TRUST, "cluster": "2"} if media in (XLSX, CSV) else {},
        headers={**AUTH, "content-type": media},
    )
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert problem["title"] == title
    if title == "Nested too deep":
        assert f"at most {upload.MAX_DEPTH} are allowed" in problem["detail"]
    assert _stored(writable, "deep") == 0


def _stored(client: TestClient, slug: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{upload.LOCAL_GRAPHS}{slug}> {{ ?s ?p ?o }} }}"
    r = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert r.status_code == 200, r.text
    return int(r.text.split()[1])


def test_nesting_at_the_limit_is_read(writable):
    # 100 levels of blank nodes parse; the upload is then refused for what it says, not how deep
    body = f"<http://x/s> {P} " + f"[ {P} " * upload.MAX_DEPTH + "1" + " ]" * upload.MAX_DEPTH + " ."
    r = writable.put(
        "/graph/local/deep", content=body.encode(), headers={**AUTH, "content-type": "text/turtle"}
    )
    assert r.status_code == 422 and r.json()["title"] == "Upload breaks the content rules"


def test_brackets_in_strings_comments_and_iris_are_no_nesting():
    deep = "(" * 500
    turtle = f'# {deep}\n<http://x/s> {P} "{deep}", """{deep}""" ; <http://x/({"a" * 5})> 1 .'
    assert len(upload.parse(turtle.encode(), upload.UPLOAD_FORMATS["text/turtle"], "http://x/")) == 3
    assert (
        upload._depth(
            ('{"@id": "http://x/s", "http://x/p": "' + "[{" * 500 + '"}').encode(),
            upload.UPLOAD_FORMATS["application/ld+json"],
        )
        == 1
    )
    xml = (
        RDF
        + "<!-- "
        + "<a>" * 500
        + " --><rdf:Description><x:p><![CDATA["
        + "<a>" * 500
        + "]]></x:p></rdf:Description></rdf:RDF>"
    )
    assert upload._depth(xml.encode(), upload.UPLOAD_FORMATS["application/rdf+xml"]) == 3


def test_a_recursion_error_in_a_parser_is_a_400(monkeypatch):
    def recurse(*args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(upload, "_parse", recurse)
    with pytest.raises(upload.UploadError) as caught:
        upload.parse(b"{}", upload.UPLOAD_FORMATS["application/ld+json"], "http://x/")
    assert caught.value.status == 400 and caught.value.title == "Nested too deep"


def test_a_recursion_error_while_checking_is_a_422(writable, monkeypatch):
    from otkg.api import writes
    from otkg.kg.contrib import write_path

    def recurse(*args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(writes, "CHECK_APART", False)  # the patches below hold in this process only
    monkeypatch.setattr(upload, "validate", recurse)
    monkeypatch.setattr(write_path, "import_sheet", recurse)
    own = b"<https://w3id.org/otkg/id/local/deep/s> <http://www.w3.org/2000/01/rdf-schema#label> 'x' ."
    for media, body, params in (
        ("text/turtle", own, {}),  # passes the content rules, to reach the checks
        (XLSX, FIXTURE_XLSX.read_bytes(), {"trust": TRUST, "cluster": "2"}),
    ):
        r = writable.put(
            "/graph/local/deep", content=body, params=params, headers={**AUTH, "content-type": media}
        )
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["title"] == "Nested too deep"


def test_a_remote_context_is_found_at_any_depth():
    doc = '{"@id": "http://x/s", "http://x/p": ' + "[" * 90 + '{"@context": "http://evil/"}' + "]" * 90 + "}"
    with pytest.raises(upload.UploadError, match="inline"):
        upload.parse(doc.encode(), upload.UPLOAD_FORMATS["application/ld+json"], "http://x/")
