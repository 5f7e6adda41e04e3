"""/docs and /redoc in a real browser (issue 12): they render from this server's own files, under
their CSP. Swagger UI makes no request to another origin and logs no error (the `tab` fixture fails
on both); ReDoc's one off-site image, its footer logo, is blocked by the CSP before any request."""

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


def test_redoc_renders_offline(chromium, real_server):
    page = chromium.new_page()
    errors, failed, seen = [], {}, []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: seen.append(r.url))
    page.on("requestfailed", lambda r: failed.update({r.url: r.failure}))
    page.goto(real_server + "/redoc")
    page.get_by_role("heading", name="otkg (0.1.0)").wait_for(timeout=30_000)
    page.get_by_role("heading", name="Evidence chain of an entity or claim").first.wait_for()
    assert page.locator("h2").count() > 50  # every operation drawn, not just the page's first paint
    page.close()
    off_site = [u for u in seen if not u.startswith(real_server)]
    assert off_site == ["https://cdn.redoc.ly/redoc/logo-mini.svg"]
    assert failed == {off_site[0]: "csp"}  # blocked by the CSP in the browser: nothing left it
    assert len(errors) == 1 and "logo-mini.svg" in errors[0] and "Content Security Policy" in errors[0]
