"""Home, search, entity and trace pages as HTML for browsers; every other client keeps its JSON or RDF."""

import re
from urllib.parse import quote

import pytest
from otkg.api.pages.editor import csp as editor_csp
from otkg.api.pages.render import CSP

from .structure import problems, read

ID = "https://w3id.org/otkg/id/"
PAGES = [
    "/",
    "/search?q=vocational+enablement",
    "/id/intervention-04",
    "/claim/doc-001/element-kind-core",
    "/trace?iri=" + quote(ID + "intervention-04"),
    "/trace?iri=" + quote(ID + "rr-recovery-approach"),
    "/id/doc-002",
    "/id/nope",
    "/matrix",
    "/queries",
    "/queries/evidence-for-entity",
    "/queries/care-clusters",
    "/sparql",
    "/sparql?query=ASK+%7B%7D",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_accessible_html_with_a_strict_csp(html, url):
    r = html.get(url)
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    expected = editor_csp() if url.startswith("/sparql") else CSP  # the editor alone may run script
    assert r.headers["content-security-policy"] == expected and r.headers["vary"] == "Accept"
    assert problems(r.text) == []


@pytest.mark.parametrize(
    "url,accept,media",
    [
        ("/", None, "application/json"),
        ("/", "*/*", "application/json"),
        ("/id/cluster-14", "application/json", "application/json"),
        ("/id/cluster-14", "application/json, text/html;q=0.9", "application/json"),
        ("/id/cluster-14", "text/turtle", "text/turtle"),
        ("/search?q=vocational", "*/*", "application/json"),
        ("/queries", "application/json", "application/json"),
        ("/queries/care-clusters", "*/*", "application/sparql-results+json"),
    ],
)
def test_api_clients_keep_their_formats(html, url, accept, media):
    r = html.get(url, headers={"accept": accept} if accept else {"accept": ""})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


def test_a_format_parameter_beats_the_browsers_accept(html):
    r = html.get("/id/cluster-14?format=json")
    assert r.headers["content-type"] == "application/json" and "Psychotic Crisis" in r.text


def test_home_shows_counts_release_sources_and_a_search_box(html):
    page = html.get("/")
    assert page.status_code == 200
    text = page.text
    assert (
        '<th scope="row">care cluster</th><td data-label="Class"><code>otkg:CareCluster</code></td>'
        '<td class="num" data-label="Entities">21</td>' in text
    )
    assert "4dacd380ecc5e57c23b283b24dda5e23b250951d4caa124014675f6bbe6d35b3" in text  # seed 000's SHA-256
    assert "https://w3id.org/otkg/releases/" in text
    forms = [f.attrs for f in read(text).all("form")]
    assert {
        "action": "/search",
        "method": "get",
        "role": "search",
        "class": "big-search",
        "aria-label": "Search the graph",
    } in forms


def test_home_offers_each_release_file_with_the_checksum_sha256sums_gives(html):
    sums = dict(
        reversed(line.split("  ")) for line in html.get("/release/latest/SHA256SUMS").text.splitlines()
    )
    offered = dict(
        re.findall(
            r'<a href="/release/0\.1\.0/([^"]+)" download>\1</a>.*?<code class="digest">([0-9a-f]{64})</code>',
            html.get("/").text,
        )
    )
    assert sorted(offered) == sorted(
        [
            "otkg.nq.gz",
            "otkg.ttl.gz",
            "otkg.owl.ttl",
            "otkg.owl",
            "otkg-base.owl.ttl",
            "otkg-base.owl",
            "release.json",
        ]
    )
    assert offered == {name: sums[name] for name in offered}
    assert html.get("/release/0.1.0/otkg.nq.gz").status_code == 200


def test_search_links_hits_to_entity_pages(html):
    page = html.get("/search", params={"q": "vocational enablement"})
    hits = page.text[page.text.index('<ol class="hits">') :]
    assert hits.index('href="/id/') == hits.index('href="/id/intervention-23"')  # the best hit first
    assert 'value="vocational enablement"' in page.text  # the site search keeps the words


def test_search_escapes_hostile_input(html):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    page = html.get("/search", params={"q": hostile})
    assert page.status_code == 200
    assert "<script>" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img" in page.text


def test_empty_search_is_an_html_error_page(html):
    page = html.get("/search?q=")
    assert page.status_code == 422 and "<h1>Invalid parameter</h1>" in page.text and "q: " in page.text


def test_entity_page_has_label_definition_links_and_highlighted_quotes(html):
    page = html.get("/id/intervention-04")
    text = page.text
    assert "<h1>re-motivation process</h1>" in text
    assert "A recognised intervention package that involves two or more of:" in text
    assert "<mark>Re motivation process</mark>" in text
    assert "characters 11912–11933" in text and "000_919e84af50fb5e8d.txt" in text
    assert "4dacd380ecc5e57c23b283b24dda5e23b250951d4caa124014675f6bbe6d35b3" in text
    hrefs = {a.attrs["href"] for a in read(text).all("a")}
    assert {
        "/id/intervention-01",
        "/id/doc-000",
        "/claim/doc-000/intervention-04",
    } <= hrefs  # out, source, in


def test_claim_page_shows_only_its_own_passage(html):
    page = html.get("/claim/doc-001/element-kind-variance")
    assert page.text.count("<mark>") == 1
    assert "<mark>Has variance elements, that are occasionally required" in page.text
    assert "ab6dd24c192800023edc84aa556765fcbd9a89be7d5c2dc2dc76edf267eb7835" in page.text


def test_unknown_entity_is_an_html_404(html):
    page = html.get("/id/no-such-thing")
    assert (
        page.status_code == 404
        and "nothing in the graph is about &lt;https://w3id.org/otkg/id/no-such-thing&gt;" in page.text
    )


def test_trace_page_draws_the_trail_and_repeats_it_as_text(html):
    page = html.get("/trace", params={"iri": ID + "element-kind-variance"})
    doc = read(page.text)
    svg = doc.all("svg")[0]
    assert svg.attrs["aria-labelledby"] == "trail-title trail-desc"
    nodes = [a for a in doc.all("a") if "node" in a.attrs.get("class", "").split()]
    kinds = {a.attrs["class"].split()[1] for a in nodes}
    assert kinds == {"node-entity", "node-claim", "node-quote", "node-document", "node-reference"}
    assert all(a.text.strip() for a in nodes)  # each node link has a <title> and a label
    quotes = [a.attrs["href"] for a in nodes if "node-quote" in a.attrs["class"]]
    assert all(f'id="{q[1:]}"' in page.text for q in quotes)  # each quote node leads to its passage
    assert "<mark>Has variance elements, that are occasionally required" in page.text
    assert '<th scope="row"><a href="/id/doc-001">' in page.text


def test_trace_page_names_policy_frameworks(html):
    page = html.get("/trace", params={"iri": ID + "rr-recovery-approach"})
    assert "node node-policy" in page.text and '<a href="/id/nsf-mental-health">' in page.text


def test_trace_of_a_bad_iri_is_an_html_422(html):
    page = html.get("/trace", params={"iri": "javascript:alert(1)"})
    assert page.status_code == 422 and "must be an otkg IRI" in page.text


def test_static_css_is_served_by_the_app_and_cached_by_version(html):
    link = next(
        e.attrs["href"] for e in read(html.get("/").text).all("link") if e.attrs.get("rel") == "stylesheet"
    )
    css = html.get(link)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert html.get("/static/nope.css").status_code == 404


def test_the_structure_check_finds_what_it_looks_for():
    bad = (
        '<html><body><a href="/">x</a><main><h2>a</h2><h4>b</h4><input id="q" name="q">'
        '<table><tr><th>h</th></tr></table><p id="d"></p><p id="d"></p></main></body></html>'
    )
    found = problems(bad)
    assert found == [
        "html has no lang=en",
        "the first link is not the skip link to #main",
        "no <header> landmark",
        "no <nav> landmark",
        "no <footer> landmark",
        "not exactly one h1, first: [2, 4]",
        "heading jumps from h2 to h4",
        "duplicate id d",
        "<input name=q> has no label",
        "<th>h</th> has no scope",
    ]
