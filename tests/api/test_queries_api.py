"""The catalogue over HTTP: listing, typed runs, pagination, formats, OpenAPI, release headers."""

import csv
import io

import httpx

CLUSTERS = "/queries/care-clusters"


def test_catalogue_lists_every_query_with_params(client):
    items = client.get("/queries").json()
    names = [q["name"] for q in items]
    assert len(names) >= 30 and names == sorted(names)
    code = next(q for q in items if q["name"] == "cluster-by-code")
    assert code["params"][0] | {"description": ""} == {
        "name": "code",
        "type": "integer",
        "required": True,
        "example": 14,
        "default": None,
        "description": "",
    }


def test_named_query_with_typed_parameter_gives_exact_row(client):
    r = client.get("/queries/cluster-by-code", params={"code": "14"}, headers={"accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["code"], x["label"], x["superclassLabel"], x["intervalText"]) for x in rows] == [
        ("14", "Psychotic Crisis", "psychotic", "4 weeks")
    ]
    assert rows[0]["source"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC6946607/table/Tab1"


def test_pagination_is_honest_with_a_next_link_only_when_more_rows_exist(client):
    first = client.get(CLUSTERS, params={"limit": 20, "format": "json"})
    rows = first.json()["results"]["bindings"]
    assert len(rows) == 20 and rows[0]["code"]["value"] == "0"
    assert 'rel="next"' in first.headers["link"] and "offset=20" in first.headers["link"]
    last = client.get(CLUSTERS, params={"limit": 20, "offset": 20, "format": "json"})
    assert [b["code"]["value"] for b in last.json()["results"]["bindings"]] == ["21"]
    assert "link" not in last.headers
    exact = client.get(CLUSTERS, params={"limit": 21, "format": "json"})
    assert "link" not in exact.headers  # 21 clusters: a page of 21 has no next


def test_formats_follow_accept_q_values_and_format_override(client):
    r = client.get(
        CLUSTERS, params={"limit": 1}, headers={"accept": "text/csv;q=0.4, text/tab-separated-values;q=0.9"}
    )
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.text.splitlines()[0] == "?cluster\t?code\t?label\t?superclass\t?interval\t?intervalText"
    xml = client.get(CLUSTERS, params={"limit": 1, "format": "xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<literal>Variance</literal>" in xml.text or 'xml:lang="en">Variance</literal>' in xml.text


def test_construct_query_answers_rdf(client):
    r = client.get(
        "/queries/describe-entity",
        params={"entity": "https://w3id.org/otkg/id/cluster-14"},
        headers={"accept": "application/n-triples"},
    )
    assert r.status_code == 200
    assert (
        "<https://w3id.org/otkg/id/cluster-14> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"Psychotic Crisis"@en .' in r.text.splitlines()
    )


def test_every_response_names_release_commit_and_query_hash(client):
    r = client.get(CLUSTERS, params={"limit": 1})
    catalog = {q["name"]: q for q in client.get("/queries").json()}
    assert r.headers["x-otkg-release"] == "https://w3id.org/otkg/releases/0.1.0/otkg.owl"
    assert len(r.headers["x-otkg-inputs-digest"]) == 64 and r.headers["x-otkg-build-commit"]
    assert r.headers["x-otkg-query-sha256"] == catalog["care-clusters"]["sha256"]


def test_etag_and_if_none_match_give_304(client):
    r = client.get(CLUSTERS, params={"limit": 2})
    again = client.get(CLUSTERS, params={"limit": 2}, headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = client.get(CLUSTERS, params={"limit": 3}, headers={"if-none-match": r.headers["etag"]})
    assert other.status_code == 200


def test_openapi_has_one_operation_per_named_query_with_params_and_examples(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    names = [q["name"] for q in client.get("/queries").json()]
    for name in names:
        assert f"/queries/{name}" in spec["paths"], name
    op = spec["paths"]["/queries/evidence-for-entity"]["get"]
    param = next(p for p in op["parameters"] if p["name"] == "entity")
    assert param["required"] is True and param["example"] == "https://w3id.org/otkg/id/intervention-04"
    assert param["schema"]["format"] == "uri"


def test_live_server_answers_a_named_query(live_server):
    r = httpx.get(
        live_server + "/queries/clusters-in-super-class",
        params={"superclass": "https://w3id.org/otkg/id/superclass-organic", "format": "csv"},
    )
    codes = [row["code"] for row in csv.DictReader(io.StringIO(r.text))]
    assert codes == ["18", "19", "20", "21"]


def test_negotiated_answers_say_they_vary_by_accept(client):
    assert client.get(CLUSTERS, params={"limit": 1}).headers["vary"] == "Accept"
