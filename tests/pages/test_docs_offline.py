"""/docs and /redoc in a real browser (issues 12 and 23): they render from this server's own files,
under their CSP, and ask no other host for anything (ReDoc's footer logo from cdn.redoc.ly included:
the bundle served names no outside image). The `tab` fixture also fails on any console error."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_lists_the_operations_offline(tab, real_server):
    seen = []
    tab.on("request", lambda r: seen.append(r.url))
    tab.goto(real_server + "/docs")
    tab.locator(".opblock").first.wait_for(timeout=30_000)
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) > 50 and "/sparql" in paths and "/queries/care-clusters" in paths
    assert any("/static/docs/swagger-ui-bundle.js" in u for u in seen)
    assert all(u.startswith(real_server) for u in seen), seen
    # an operation opens and shows its parameters: the UI runs, not just its first paint
    tab.locator(".opblock-summary-path", has_text="/trace").first.click()
    assert tab.get_by_text("Evidence chain of an entity or claim").first.is_visible()
    assert tab.locator(".parameters-container").first.is_visible()


def outside(urls: list[str]) -> list[str]:
    """The URLs a page asked for from a host other than this server's (data: and blob: ask none)."""
    return [
        u for u in urls if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"
    ]


def test_redoc_renders_offline(tab, real_server):
    seen = []
    tab.on("request", lambda r: seen.append(r.url))
    tab.goto(real_server + "/redoc")
    tab.get_by_role("heading", name="otkg (0.1.0)").wait_for(timeout=30_000)
    tab.get_by_role("heading", name="Evidence chain of an entity or claim").first.wait_for()
    assert tab.locator("h2").count() > 50  # every operation drawn, not just the page's first paint
    # the footer link is drawn, without the logo it would have fetched
    assert tab.get_by_role("link", name="API docs by Redocly").count() == 1
    assert tab.locator('img[alt="redocly logo"]').count() == 0
    tab.wait_for_load_state("networkidle")
    assert outside(seen) == [] and any("/static/docs/redoc.standalone.js" in u for u in seen)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_make_no_request_to_another_host(chromium, real_server, path):
    page = chromium.new_page()
    seen, sockets = [], []
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda w: sockets.append(w.url))
    page.goto(real_server + path)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 100_000)  # to the end of the page: whatever draws late draws now
    page.wait_for_load_state("networkidle")
    page.close()
    assert len(seen) >= 4  # the page, its script, its set-up and the OpenAPI document at least
    assert len(outside(seen + sockets)) == 0


def test_swagger_ui_offers_a_class_s_entities_as_a_dropdown(tab, real_server):
    tab.goto(real_server + "/docs#/queries/query_cluster_packages")
    tab.locator(".opblock-summary-path", has_text="/queries/cluster-packages").first.wait_for(timeout=30_000)
    block = tab.locator(
        ".opblock", has=tab.locator(".opblock-summary-path", has_text="/queries/cluster-packages")
    )
    block = block.filter(has_not=tab.locator(".opblock-summary-path", has_text="side-by-side")).first
    if not block.locator(".try-out").is_visible():
        block.locator(".opblock-summary").click()
    block.locator(".try-out__btn").click()
    row = block.locator('tr[data-param-name="cluster"]')
    labels, values = (row.locator("select").nth(i).locator("option").all_inner_texts() for i in (0, 1))
    # the examples by label (picking one fills the value), then the enum of IRIs
    assert "Psychotic Crisis" in labels and len(labels) == 21
    assert "https://w3id.org/otkg/id/cluster-14" in values
    assert len([v for v in values if v.startswith("https://w3id.org/otkg/id/cluster-")]) == 21
