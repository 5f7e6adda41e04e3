"""The otkg command: each sub-command over the real graph."""

import ast
import csv
import io
import json
from pathlib import Path

import pytest
from otkg.kg import cli
from otkg.kg.pipeline import build as build


@pytest.fixture(autouse=True)
def fresh_build(build_dir, monkeypatch):
    """The CLI reads build/; point it at this session's fresh build of the current sources."""
    monkeypatch.setattr(build, "BUILD_DIR", build_dir)


def test_query_command_prints_csv_rows(capsysbinary):
    assert cli.main(["query", "cluster-by-code", "--param", "code=14", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode())))
    assert [(r["code"], r["label"]) for r in rows] == [("14", "Psychotic Crisis")]


def test_query_command_rejects_a_bad_parameter(capsys):
    assert cli.main(["query", "cluster-by-code", "--param", "code=x"]) == 2
    assert "parameter 'code'" in capsys.readouterr().err


def test_sparql_command_answers_json(capsysbinary):
    assert (
        cli.main(["sparql", "ASK { ?s a <https://w3id.org/otkg/ontology#CareCluster> }", "--format", "json"])
        == 0
    )
    assert b'"boolean":true' in capsysbinary.readouterr().out


@pytest.mark.parametrize(
    ("fmt", "query", "expected"),
    [
        ("csv", "ASK { ?s a <https://w3id.org/otkg/ontology#CareCluster> }", b"_askResult\r\ntrue\r\n"),
        ("csv", "ASK { ?s a <urn:nothing> }", b"_askResult\r\nfalse\r\n"),
        ("tsv", "ASK {}", b"?_askResult\ntrue\n"),
    ],
    ids=["csv-true", "csv-false", "tsv"],
)
def test_sparql_command_answers_ask_as_the_http_api_does(capsysbinary, fmt, query, expected):
    # the same one-cell table, headed _askResult, as GET /sparql answers (tests/api/test_formats.py)
    assert cli.main(["sparql", query, "--format", fmt]) == 0
    assert capsysbinary.readouterr().out == expected


def test_sparql_command_answers_json_ld_compacted_or_expanded(capsysbinary):
    query = "CONSTRUCT { ?c ?p ?o } WHERE { ?c <https://w3id.org/otkg/ontology#clusterCode> 14 ; ?p ?o }"
    assert cli.main(["sparql", query, "--format", "jsonld"]) == 0
    compacted = json.loads(capsysbinary.readouterr().out)
    assert [n["@id"] for n in compacted["@graph"]] == ["id:cluster-14"]
    assert compacted["@graph"][0]["rdfs:label"] == {"@value": "Psychotic Crisis", "@language": "en"}
    assert cli.main(["sparql", query, "--format", "jsonld-expanded"]) == 0
    expanded = json.loads(capsysbinary.readouterr().out)
    assert [n["@id"] for n in expanded] == ["https://w3id.org/otkg/id/cluster-14"]


def test_sparql_command_reports_syntax_errors(capsys):
    assert cli.main(["sparql", "SELEC"]) == 2
    assert "SPARQL syntax" in capsys.readouterr().err


def test_export_copies_a_built_file(tmp_path, capsys):
    out = tmp_path / "otkg.nq"
    assert cli.main(["export", "--format", "nquads", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n") > 50000


def test_load_command_puts_every_named_graph_into_a_server(oxigraph_server, capsys):
    store_url = oxigraph_server.store_url
    assert cli.main(["load", "--graph-store-url", store_url]) == 0
    assert "named graphs" in capsys.readouterr().out
    assert "https://w3id.org/otkg/graph/doc-002" in oxigraph_server.graph_names()


def test_the_cheap_digest_is_the_one_a_build_stamps(assembled):
    assert build.current_digest() == assembled.digest


def test_kg_never_imports_the_api_or_fastapi():
    """Data flows kg -> api only: no module of kg/ (stage subpackages included) imports otkg.api,
    fastapi or starlette, absolutely or relatively."""
    found = []
    kg_dir = Path(cli.__file__).parent
    for path in sorted(kg_dir.rglob("*.py")):
        package = ["otkg", "kg", *path.parent.relative_to(kg_dir).parts]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:  # `..x` resolved against the package
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
                names = [f"{names[0]}.{a.name}" for a in node.names] if not node.module else names
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            found += [
                f"{path.relative_to(kg_dir)}: {n}"
                for n in names
                if n.split(".")[0] in ("api", "fastapi", "starlette") or n.startswith("otkg.api")
            ]
    assert found == []
