"""The pages in a real browser: headless Chromium (Debian `chromium`) through Playwright, against
real uvicorn servers. Every test also fails on a console error or a request to another origin."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser
ID = "https://w3id.org/otkg/id/"


def test_search_to_entity_to_trace_to_the_highlighted_source_passage(tab, real_server):
    tab.goto(real_server + "/")
    tab.get_by_label("Search interventions, clusters, outcomes, policies and quoted passages").fill(
        "vocational enablement"
    )
    tab.get_by_label("Search interventions, clusters, outcomes, policies and quoted passages").press("Enter")
    tab.wait_for_url("**/search?q=vocational+enablement")
    tab.locator("ol.hits > li").first.get_by_role("link", name="vocational enablement", exact=True).click()
    tab.wait_for_url("**/id/intervention-23")
    assert tab.locator("h1").inner_text() == "vocational enablement"
    tab.get_by_role("link", name="Evidence trail", exact=True).click()
    tab.wait_for_url(lambda url: "/trace?iri=" in url)
    assert tab.locator("svg a.node").count() >= 4
    quote_node = tab.locator("svg a.node-quote").first
    target = quote_node.get_attribute("href")
    quote_node.click()
    tab.wait_for_url(lambda url: url.endswith(target))
    mark = tab.locator(f"{target} mark")
    assert mark.is_visible() and mark.evaluate(
        "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert "Vocational" in mark.inner_text() or "vocational" in mark.inner_text()


def test_trail_nodes_have_titles_and_lead_to_pages(tab, real_server):
    tab.goto(real_server + "/trace?iri=" + quote(ID + "element-kind-variance", safe=""))
    nodes = tab.locator("svg a.node")
    assert all(nodes.nth(i).locator("title").text_content() for i in range(nodes.count()))
    tab.locator("svg a.node-document").first.click()
    tab.wait_for_url("**/id/doc-001")
    assert "Practicalities of introducing PbR" in tab.locator("h1").inner_text()


def test_matrix_renders_and_a_cell_leads_to_its_evidence(tab, demo_server):
    tab.goto(demo_server + "/matrix")
    cells = tab.locator("svg a.cell")
    assert tab.locator("svg").count() == 2 and cells.count() > 40
    box = cells.first.locator("rect").bounding_box()
    assert box["width"] > 10 and box["height"] > 10
    cells.first.click()
    tab.wait_for_url(lambda url: "/matrix?kind=" in url and url.endswith("#evidence"))
    assert tab.locator("#evidence").is_visible()
    assert tab.locator("section:has(#evidence) mark").first.is_visible()


def test_real_graph_matrix_draws_the_national_cluster_2_package(tab, real_server):
    tab.goto(real_server + "/matrix")
    assert tab.locator("svg").count() == 2
    # cluster 2's interventions (4 before issue 21 item 1) and outcomes
    assert tab.locator("svg a.cell").count() == 5 + 7


def test_query_form_runs_a_query_and_shows_the_table(tab, real_server):
    tab.goto(real_server + "/queries/evidence-for-entity")
    tab.get_by_label("entity (required)").fill(ID + "intervention-04")
    tab.get_by_role("button", name="Run query").click()
    tab.wait_for_url(lambda url: "/queries/evidence-for-entity?entity=" in url)
    table = tab.locator("main table")
    assert table.locator("thead th").all_inner_texts()[:3] == ["entity", "claim", "exact"]
    assert table.get_by_text("Re motivation process").first.is_visible()
    assert tab.get_by_role("link", name="Download CSV").get_attribute("href").endswith("format=csv")


def test_keyboard_reaches_the_skip_link_then_the_search_box(tab, real_server):
    tab.goto(real_server + "/")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert tab.locator(".skip-link").is_visible()  # it shows itself when focused
    for _ in range(12):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.id") == "site-q":
            break
    assert tab.evaluate("document.activeElement.id") == "site-q"
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    tab.keyboard.type("psychotic crisis")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search?q=psychotic+crisis")
    assert tab.locator("ol.hits li").count() > 0


def test_skip_link_moves_focus_to_main(tab, real_server):
    tab.goto(real_server + "/id/intervention-04")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_pages_work_without_javascript(chromium, real_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_server + "/queries/care-clusters")
    assert page.locator("main table tbody tr").count() == 21
    page.goto(real_server + "/sparql?query=ASK+%7B%7D")
    assert page.get_by_text("Answer: yes").is_visible()
    context.close()
