"""/docs and /redoc (issue 12): same-origin files only, each answering, under the docs pages' own CSP."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

REFERENCE = re.compile(r'\s(?:src|href|spec-url)="([^"]*)"')
SETUP_URL = re.compile(r"url: '([^']*)'")


def references(html: str) -> list[str]:
    return REFERENCE.findall(html)


@pytest.mark.parametrize(
    "path,assets",
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png", "swagger-setup-1.js"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png", "redoc-setup-1.css"}),
    ],
)
def test_docs_pages_load_only_this_servers_files(client, path, assets):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = dict(d.strip().split(" ", 1) for d in r.headers["content-security-policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["default-src"] == "'none'" and csp["connect-src"] == "'self'"
    assert "http" not in r.headers["content-security-policy"]
    # no inline code: a script or style element either loads a file or is absent
    assert not re.search(r"<script>|<style", r.text)
    urls = references(r.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert {u.split("?")[0].rsplit("/", 1)[-1] for u in urls if u.startswith("/static/docs/")} == assets
    for url in urls:
        got = client.get(url)
        assert got.status_code == 200 and got.content, url
        if url.startswith("/static/docs/"):  # each linked with its content hash: kept for good
            assert got.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_the_files_are_the_shipped_ui_bundles(client):
    html = client.get("/docs").text
    bundle = next(u for u in references(html) if "swagger-ui-bundle.js" in u)
    js = client.get(bundle)
    assert js.headers["content-type"] == "text/javascript; charset=utf-8" and b"SwaggerUIBundle" in js.content
    setup = client.get(next(u for u in references(html) if "swagger-setup" in u)).text
    assert SETUP_URL.search(setup)[1] == "/openapi.json" and '"validatorUrl": null' in setup
    redoc = client.get("/static/docs/redoc.standalone.js")
    assert redoc.status_code == 200 and len(redoc.content) > 500_000
    assert redoc.headers["cache-control"] == "no-cache"  # without its version the URL may change meaning
    assert "disable-search" in client.get("/redoc").text  # its search worker would need blob: scripts


def test_unknown_docs_files_are_404_problems(client):
    for path in (
        "/static/docs/nope.js",
        "/static/docs/..%2Fapi%2Fmain.py",
        "/static/docs/swagger-ui.css.map",
    ):
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json", path


def test_docs_pages_stay_out_of_the_description_and_answer_head(client):
    assert not {"/docs", "/redoc"} & set(client.get("/openapi.json").json()["paths"])
    r = client.head("/docs")
    assert r.status_code == 200 and r.content == b"" and "content-security-policy" in r.headers


def test_the_served_redoc_bundle_names_no_outside_image(client):
    shipped = (files("fastapi_offline") / "static" / "redoc.standalone.js").read_bytes()
    served = client.get("/static/docs/redoc.standalone.js").content
    assert b"https://cdn.redoc.ly/redoc/logo-mini.svg" in shipped  # what the shipped file would fetch
    assert b"cdn.redoc.ly" not in served
    assert served == shipped.replace(b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:,")
