"""The query catalogue and the SPARQL editor as pages: forms from headers, answers as tables."""

from urllib.parse import parse_qs, urlsplit

from .structure import read

ID = "https://w3id.org/otkg/id/"


def test_query_list_links_every_named_query(html):
    page = html.get("/queries")
    hrefs = {a.attrs["href"] for a in read(page.text).all("a")}
    assert {
        "/queries/evidence-for-entity",
        "/queries/cluster-intervention-matrix",
        "/queries/entity-counts",
    } <= hrefs


def test_form_is_built_from_the_header_params(html):
    doc = read(html.get("/queries/evidence-for-entity").text)
    entity = next(e for e in doc.all("input") if e.attrs.get("name") == "entity")
    assert entity.attrs["type"] == "url" and "required" in entity.attrs
    assert entity.attrs["placeholder"] == ID + "intervention-04"
    form = next(f for f in doc.all("form") if f.attrs.get("action") == "/queries/evidence-for-entity")
    assert form.attrs["method"] == "get"
    assert not doc.all("table")  # a required parameter is missing: nothing runs yet


def test_enum_and_integer_params_get_a_select_and_a_number_box(html):
    doc = read(html.get("/queries/policy-sources-of-kind").text)
    select = next(e for e in doc.all("select") if e.attrs.get("name") == "kind")
    options = [o.text for o in doc.all("option")]
    assert "required" in select.attrs and "NationalFramework" in options
    doc = read(html.get("/queries/cluster-by-code").text)
    code = next(e for e in doc.all("input") if e.attrs.get("name") == "code")
    assert (code.attrs["type"], code.attrs["step"]) == ("number", "1")


def test_submitted_form_shows_the_answer_with_downloads(html):
    page = html.get("/queries/evidence-for-entity", params={"entity": ID + "intervention-04", "limit": "5"})
    assert page.status_code == 200
    doc = read(page.text)
    assert [th.text for th in doc.all("th")][:6] == ["entity", "claim", "exact", "start", "end", "file"]
    assert "Re motivation process" in page.text
    downloads = {a.text: a.attrs["href"] for a in doc.all("a") if a.text.startswith("Download")}
    csv = html.get(downloads["Download CSV"], headers={"accept": "*/*"})
    assert csv.headers["content-type"].startswith("text/csv") and "Re motivation process" in csv.text
    assert html.get(downloads["Download JSON"]).headers["content-type"] == "application/sparql-results+json"
    nxt = next(a.attrs["href"] for a in doc.all("a") if a.attrs.get("rel") == "next")
    assert parse_qs(urlsplit(nxt).query)["offset"] == ["5"] and "format" not in nxt


def test_parameterless_query_runs_at_once(html):
    page = html.get("/queries/care-clusters")
    assert page.status_code == 200 and "Psychotic Crisis" in page.text and "21 rows" in page.text


def test_bad_parameter_renders_the_problem_with_its_status(html):
    page = html.get("/queries/evidence-for-entity", params={"entity": "not an iri"})
    assert page.status_code == 422
    assert "Invalid parameter" in page.text and "parameter &#39;entity&#39;: IRI must start with" in page.text
    assert 'value="not an iri"' in page.text  # the form keeps what was typed


def test_hostile_values_are_escaped_in_the_form(html):
    page = html.get("/queries/entity-label-search", params={"text": '"><script>alert(1)</script>'})
    assert "<script>" not in page.text and "&#34;&gt;&lt;script&gt;" in page.text


def test_unknown_query_is_an_html_404(html):
    page = html.get("/queries/no-such-query")
    assert page.status_code == 404 and "no named query" in page.text


def test_graph_query_shows_triples(html):
    page = html.get("/queries/describe-entity", params={"entity": ID + "cluster-14"})
    assert page.status_code == 200 and "Psychotic Crisis" in page.text
    assert [th.text for th in read(page.text).all("th")][:3] == ["subject", "predicate", "object"]


def test_sparql_editor_without_a_query_offers_examples(html):
    page = html.get("/sparql")
    doc = read(page.text)
    assert page.status_code == 200 and doc.all("textarea")[0].attrs["name"] == "query"
    examples = [a.attrs["href"] for a in doc.all("a") if a.attrs.get("href", "").startswith("/sparql?query=")]
    assert len(examples) == 5
    for href in examples:  # every example runs
        assert html.get(href).status_code == 200


def test_sparql_editor_runs_select_and_ask(html):
    page = html.get(
        "/sparql", params={"query": "SELECT ?s WHERE { ?s a <https://w3id.org/otkg/ontology#CareCluster> }"}
    )
    assert "21 rows" in page.text and 'href="/id/cluster-14"' in page.text
    assert "Answer: <strong>yes</strong>" in html.get("/sparql", params={"query": "ASK {}"}).text


def test_sparql_editor_shows_syntax_errors_with_400_and_keeps_the_query(html):
    page = html.get("/sparql", params={"query": "SELEKT <script>"})
    assert page.status_code == 400 and "Malformed query" in page.text
    assert "SELEKT &lt;script&gt;" in page.text and "<script>" not in page.text


def test_sparql_editor_refuses_what_the_endpoint_refuses(html):
    page = html.get(
        "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}
    )
    assert page.status_code == 400 and "SERVICE is not allowed" in page.text


def test_sparql_protocol_clients_are_unchanged(html):
    r = html.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "application/sparql-results+json"})
    assert r.json() == {"head": {}, "boolean": True}
    assert html.get("/sparql", headers={"accept": "*/*"}).headers["content-type"].startswith("text/turtle")
