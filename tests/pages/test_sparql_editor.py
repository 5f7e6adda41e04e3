"""The SPARQL editor page (issue 23, item 7): YASGUI from this server's own files where set-up fetched
it, completing the graph's prefixes, classes and properties, under a CSP that lets this page alone
run script (from this server only); without script, or without YASGUI, the plain form still works."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from otkg.api.pages import editor, render, yasgui
from otkg.api.security_headers import EDITOR_PAGE_CSP

from .test_contribute import axe_violations

OTKG = "https://w3id.org/otkg/ontology#"
CLUSTERS = "PREFIX otkg: <https://w3id.org/otkg/ontology#>\nSELECT ?c WHERE { ?c a otkg:CareCluster }"
needs_yasgui = pytest.mark.skipif(
    not yasgui.available(), reason="YASGUI not fetched: `make vendor` needs npm (the plain form is tested)"
)


def completions(page_text: str) -> dict:
    block = re.search(
        r'<script type="application/json" id="editor-completions">(.*?)</script>', page_text, re.S
    )
    assert block, "no completions in the page"
    return json.loads(block[1])


def test_the_editor_page_alone_may_run_script_and_only_this_servers(html):
    r = html.get("/sparql")
    scripts = re.findall(r"<script\b[^>]*>", r.text)
    if not yasgui.available():  # no YASGUI: the plain form, under the pages' own CSP
        assert r.headers["content-security-policy"] == render.CSP and scripts == []
        return
    csp = r.headers["content-security-policy"]
    assert csp == EDITOR_PAGE_CSP and "script-src 'self';" in csp and "connect-src 'self';" in csp
    assert "unsafe" not in csp and "http" not in csp  # no inline or eval'd code, no other host
    # every script is a file of this server's, but the completions, which are data (never run)
    assert [re.search(r'src="([^"?]+)', s)[1] for s in scripts if "src=" in s] == [
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/sparql-editor.js",
    ]
    assert [s for s in scripts if "src=" not in s] == [
        '<script type="application/json" id="editor-completions">'
    ]
    for path in ("/", "/queries", "/id/cluster-14", "/matrix", "/queries/care-clusters"):
        page = html.get(path)
        assert page.headers["content-security-policy"] == render.CSP and "script-src" not in render.CSP, path
        assert "<script" not in page.text, path


def test_the_editor_page_keeps_its_csp_when_revalidated_or_cached(html):
    """A 304's headers replace the stored ones: a wrong CSP there would turn the editor off (or on)."""
    for path in ("/sparql", "/sparql?example=care-clusters"):
        first = html.get(path)
        again = html.get(path, headers={"if-none-match": first.headers["etag"]})
        cached = html.get(path)
        assert again.status_code == 304 and cached.headers["x-otkg-cache"] == "hit"
        for r in (first, again, cached, html.head(path)):
            assert r.headers["content-security-policy"] == editor.csp(), (path, r.status_code)


@needs_yasgui
def test_completions_are_the_graphs_prefixes_classes_and_properties(html):
    terms = completions(html.get("/sparql").text)
    assert terms["prefixes"]["otkg"] == OTKG and terms["prefixes"]["oa"] == "http://www.w3.org/ns/oa#"
    assert [OTKG + "CareCluster", "care cluster"] in terms["classes"]
    assert [OTKG + "clusterCode", "cluster code"] in terms["properties"]
    assert ["http://www.w3.org/ns/oa#hasBody", "has body"] in terms["properties"]  # reused, imported label
    assert ["http://www.w3.org/2004/02/skos/core#definition", ""] in terms["properties"]  # no label here
    # exactly the classes instantiated and the properties used, as the protocol endpoint counts them
    counts = html.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(DISTINCT ?c) AS ?classes) (COUNT(DISTINCT ?p) AS ?properties) "
            "WHERE { { ?s a ?c } UNION { ?s ?p ?o } }"
        },
        headers={"accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"][0]
    assert len(terms["classes"]) == int(counts["classes"]["value"])
    assert len(terms["properties"]) == int(counts["properties"]["value"])


@needs_yasgui
def test_yasgui_files_come_from_this_server_cached_for_good(html):
    for name, media in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css")):
        url = yasgui.url(name)
        assert url in html.get("/sparql").text
        r = html.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.content == (yasgui.FOLDER / name).read_bytes()
    missing = html.get("/static/vendor/yasgui/yasgui.min.js.map", headers={"accept": "*/*"})
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert (yasgui.FOLDER / "LICENSE").read_text().count("MIT") >= 2  # the licence beside the files


def test_a_named_query_opens_in_the_editor_to_read_and_run(html):
    page = html.get("/sparql")
    named = editor.named_examples(html.app.state.services.catalog)
    assert {e["slug"] for e in named} >= {"care-clusters", "source-documents"}
    assert "claims-citing-reference" not in {e["slug"] for e in named}  # it needs a reference
    assert 'href="/sparql?example=care-clusters"' in page.text
    opened = html.get("/sparql?example=care-clusters")
    assert opened.status_code == 200 and "<h2>Answer</h2>" not in opened.text  # opened, not run
    assert "What are the mental health PbR care clusters" in opened.text and "otkg:CareCluster" in opened.text
    unknown = html.get("/sparql?example=no-such-query")
    assert unknown.status_code == 404 and "no named query &#39;no-such-query&#39;" in unknown.text


def test_a_link_yasgui_shares_runs_without_script_too(html):
    """YASGUI's share button adds its own settings to the query; the server reads the query alone."""
    r = html.get(
        "/sparql",
        params={
            "query": CLUSTERS,
            "endpoint": "https://elsewhere.example/sparql",
            "requestMethod": "POST",
            "tabTitle": "Query",
            "headers": "{}",
            "outputFormat": "table",
        },
    )
    assert r.status_code == 200 and "21 rows" in r.text


@pytest.mark.browser
def test_without_script_the_form_runs_the_query(chromium, real_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_server + "/sparql")
    page.get_by_label("SPARQL query").fill(
        f"PREFIX otkg: <{OTKG}>\nSELECT ?c ?code WHERE {{ ?c otkg:clusterCode ?code }} ORDER BY ?code"
    )
    page.get_by_role("button", name="Run query").click()
    page.wait_for_url(lambda url: "/sparql?query=" in url)
    assert page.get_by_text("21 rows").is_visible()
    assert page.locator("main table tbody tr").count() == 21
    assert page.locator('main table a[href="/id/cluster-14"]').is_visible()
    assert "ORDER BY ?code" in page.get_by_label("SPARQL query").input_value()
    assert page.locator("#yasgui .yasqe").count() == 0
    context.close()


def editor_text(tab) -> str:
    return tab.evaluate("document.querySelector('#yasgui .CodeMirror').CodeMirror.getValue()")


def accept(tab, shown: str, word: str) -> None:
    """Accept the completion list showing only `shown`, as a person does with Enter, until the
    editor holds `word`: YASGUI may redraw the list as its answer arrives, and an Enter that lands
    on the redraw is lost, so a person (and this) asks again with Ctrl+Space."""
    from playwright.sync_api import expect

    hint = tab.locator(".CodeMirror-hint")
    for _ in range(3):
        expect(hint).to_have_text([shown])
        tab.keyboard.press("Enter")
        try:
            tab.wait_for_function(
                "w => document.querySelector('#yasgui .CodeMirror').CodeMirror.getValue().includes(w)",
                arg=word,
                timeout=5_000,
            )
            return
        except Exception:
            tab.keyboard.press("Control+Space")
    raise AssertionError(f"the completion {shown!r} was never accepted: {editor_text(tab)!r}")


@pytest.mark.browser
@pytest.mark.slow
@needs_yasgui
def test_type_a_prefix_accept_completions_run_and_share(tab, real_server):
    """The `tab` fixture fails the test on any console error (a CSP violation is one) and on any
    request to another host."""
    violations: list[str] = []
    tab.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    tab.goto(real_server + "/sparql")
    tab.locator("#yasgui .CodeMirror").wait_for()
    assert tab.locator("#plain-editor").is_hidden()
    tab.locator("#yasgui .CodeMirror").click()
    tab.keyboard.press("Control+a")
    tab.keyboard.press("Delete")
    tab.keyboard.type("PREFIX ot")
    accept(tab, f"otkg: <{OTKG}>", f"otkg: <{OTKG}>")  # the graph's prefix, not prefix.cc's
    tab.keyboard.type("\nSELECT ?c WHERE { ?c a otkg:CareC")
    accept(tab, "otkg:CareCluster  (care cluster)", "otkg:CareCluster")  # the class, with its label
    tab.keyboard.type(" ; otkg:clusterCo")
    accept(tab, "otkg:clusterCode  (cluster code)", "otkg:clusterCode")
    tab.keyboard.type(" ?code }")
    text = f"PREFIX otkg: <{OTKG}>\nSELECT ?c WHERE {{ ?c a otkg:CareCluster ; otkg:clusterCode ?code }}"
    assert editor_text(tab) == text
    tab.keyboard.press("Control+Enter")
    rows = tab.locator("#yasgui .yasr table tbody tr")
    rows.nth(20).wait_for()
    assert rows.count() == 21 and "cluster-14" in tab.locator("#yasgui .yasr").inner_text()
    assert tab.locator('#yasgui .yasr a[href="/id/cluster-14"]').is_visible()  # its page on this server
    # the address is the query's link: opened again, the editor shows the query and runs it
    assert tab.url == real_server + "/sparql?query=" + quote(text, safe="").replace("%20", "+")
    tab.goto(tab.url)
    tab.locator("#yasgui .yasr table tbody tr").nth(20).wait_for()
    assert editor_text(tab) == text and tab.locator("#yasgui .yasr table tbody tr").count() == 21
    assert violations == []
    assert axe_violations(tab) == []  # YASGUI's unnamed controls named, its prefixed names darker


@pytest.mark.slow
@needs_yasgui
def test_completions_over_a_remote_store_are_the_same(html, oxigraph_server, build_dir):
    """Over `oxigraph serve` the editor completes the same terms; with it stopped the editor still
    opens, with the prefixes alone."""
    from fastapi.testclient import TestClient
    from otkg.api.main import create_app
    from otkg.api.settings import Settings

    from .conftest import BROWSER

    settings = Settings(build_dir=build_dir, store="remote", sparql_url=oxigraph_server.query_url)
    with TestClient(create_app(settings=settings), headers=BROWSER) as remote:
        assert completions(remote.get("/sparql").text) == completions(html.get("/sparql").text)
        remote.app.state.editor_terms = None
        remote.app.state.services.store.query_url = "http://127.0.0.1:9/query"  # nothing listens there
        down = remote.get("/sparql?example=source-documents")  # a page not in the response cache
        assert down.status_code == 200 and completions(down.text)["classes"] == []
        assert completions(down.text)["prefixes"]["otkg"] == OTKG
