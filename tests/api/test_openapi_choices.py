"""/openapi.json offers the graph's entities as the choices of every parameter whose header names a
class (api/openapi_choices.py), and a client generated from it alone can call the named queries."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.openapi_choices import Choices, with_choices, without_choices
from otkg.api.settings import Settings
from otkg.kg.query.query_catalog import load_catalog

ID = "https://w3id.org/otkg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _resolve(spec: dict, schema: dict) -> dict:
    """A parameter's schema with its $ref (a class's shared schema) followed, as a generator does."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    target = spec
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}


def _param(spec: dict, query: str, name: str) -> dict:
    return next(p for p in spec["paths"][f"/queries/{query}"]["get"]["parameters"] if p["name"] == name)


def test_a_cluster_parameter_offers_the_21_clusters_with_their_labels(client):
    spec = client.get("/openapi.json").json()
    param = _param(spec, "cluster-packages", "cluster")
    schema = _resolve(spec, param["schema"])
    assert param["schema"] == {"$ref": "#/components/schemas/otkg_CareCluster"}
    assert len(schema["enum"]) == 21 and schema["format"] == "uri"
    labels = dict(zip(schema["enum"], schema["x-enum-descriptions"], strict=True))
    assert labels[ID + "cluster-14"] == "Psychotic Crisis"
    assert schema["enum"][0] == ID + "cluster-18"  # by label: "Cognitive Impairment (Low Need)" first
    # the same choices as examples, which Swagger UI shows as a dropdown of labels
    assert param["examples"][ID + "cluster-14"] == {"summary": "Psychotic Crisis", "value": ID + "cluster-14"}
    assert list(param["examples"]) == schema["enum"] and "example" not in param


def test_every_class_a_header_names_has_one_shared_schema(client):
    spec = client.get("/openapi.json").json()
    classes = {p.class_iri for q in load_catalog().values() for p in q.params if p.class_iri}
    shared = {k: v for k, v in spec["components"]["schemas"].items() if k.startswith(("otkg_", "bibo_"))}
    assert len(shared) == len(classes) == 13
    assert len(shared["otkg_Intervention"]["enum"]) == 83
    assert len(shared["bibo_Document"]["enum"]) == 114
    # no Trust has uploaded a package yet: a free IRI, its header example kept
    assert "enum" not in shared["otkg_LocalCarePackage"]
    assert _param(spec, "package-vs-national", "package")["example"].startswith(ID)


def test_a_class_with_more_than_200_entities_gets_examples_not_an_enum():
    catalog = load_catalog()
    bare = create_app(Settings()).openapi()
    many = Choices([(f"{ID}x-{i:03}", f"X {i:03}") for i in range(200)], more=True)
    spec = with_choices(bare, catalog, {"https://w3id.org/otkg/ontology#CareCluster": many})
    schema = spec["components"]["schemas"]["otkg_CareCluster"]
    assert "enum" not in schema and schema["format"] == "uri"
    examples = _param(spec, "cluster-packages", "cluster")["examples"]
    assert len(examples) == 200 and examples[f"{ID}x-007"] == {"summary": "X 007", "value": f"{ID}x-007"}


def test_the_description_without_a_graph_is_the_served_one_without_its_choices(client):
    served = client.get("/openapi.json").json()
    assert without_choices(served, load_catalog()) == create_app(Settings()).openapi()


def _generated_call(spec: dict, path: str) -> tuple[str, dict]:
    """The URL and query a client generated from the description alone would send: each required
    parameter's first enum value, else its default, else its example."""
    values = {}
    for p in spec["paths"][path]["get"]["parameters"]:
        schema = _resolve(spec, p["schema"])
        if not p.get("required"):
            continue
        if "enum" in schema:
            values[p["name"]] = schema["enum"][0]
        elif "default" in schema:
            values[p["name"]] = schema["default"]
        else:
            values[p["name"]] = p.get("example", next(iter(p.get("examples", {}).values()), {}).get("value"))
    in_path = {k: v for k, v in values.items() if "{" + k + "}" in path}
    return path.format(**in_path), {k: v for k, v in values.items() if k not in in_path}


@pytest.mark.slow  # a real uvicorn process
def test_a_client_generated_from_the_description_gets_rows(live_server):
    spec = httpx.get(f"{live_server}/openapi.json", timeout=30).json()
    with_enum = [
        path
        for path, ops in spec["paths"].items()
        if path.startswith("/queries/")
        and any("enum" in _resolve(spec, p["schema"]) and p.get("required") for p in ops["get"]["parameters"])
    ]
    assert len(with_enum) >= 20
    rows = {}
    for path in with_enum:
        url, query = _generated_call(spec, path)
        r = httpx.get(
            f"{live_server}{url}?{urlencode(query)}", headers={"accept": "application/json"}, timeout=30
        )
        assert r.status_code == 200, (path, r.text)
        answer = r.json()
        rows[path] = len(answer["results"]["bindings"]) if "results" in answer else answer["boolean"]
    # the first: the one claim citing the first reference by label; some first choices have no rows
    # (cluster-18 has no package), but most do
    assert with_enum[0] == "/queries/claims-citing-reference" and rows[with_enum[0]] == 1
    assert rows["/queries/clusters-in-super-class"] == 8  # the first super class by label
    assert sum(1 for n in rows.values() if n) >= 10  # 11 of 25 today


@pytest.mark.slow  # its own app over a disk store
def test_a_commit_makes_its_new_entity_a_choice(build_dir, tmp_path):
    package = ID + "local/test-trust/package"
    settings = Settings(build_dir=build_dir, store="disk", store_dir=tmp_path / "store")
    with TestClient(create_app(settings=settings)) as c:
        before = c.get("/openapi.json").json()["components"]["schemas"]["otkg_LocalCarePackage"]
        assert "enum" not in before
        label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        kind = ox.NamedNode("https://w3id.org/otkg/ontology#LocalCarePackage")
        triples = [
            ox.Triple(ox.NamedNode(package), ox.NamedNode(RDF_TYPE), kind),
            ox.Triple(ox.NamedNode(package), label, ox.Literal("Test Trust package")),
        ]
        c.app.state.services.store.commit("https://w3id.org/otkg/graph/local/test-trust", triples)
        after = c.get("/openapi.json").json()["components"]["schemas"]["otkg_LocalCarePackage"]
        assert after["enum"] == [package] and after["x-enum-descriptions"] == ["Test Trust package"]
