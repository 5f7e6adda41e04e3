"""Cross-origin use in a real browser (issue 12): a page served from a second origin queries otkg with
fetch(), and the browser lets it read answers but refuses its write at the preflight."""

from __future__ import annotations

import json

import pytest
from otkg.api.pages.screenshots import serving

pytestmark = pytest.mark.browser
# The page reports what each fetch gave as JSON in <pre id=...>; the test reads them back.
PAGE = b"""<!doctype html><title>Another site</title><body><script>
const otkg = new URLSearchParams(location.search).get("otkg");
const report = (id, value) => {
  const out = document.createElement("pre"); out.id = id; out.textContent = JSON.stringify(value);
  document.body.append(out);
};
const COUNT = "PREFIX otkg: <https://w3id.org/otkg/ontology#> "
  + "SELECT (COUNT(?c) AS ?n) WHERE { ?c a otkg:CareCluster }";
(async () => {
  const got = await fetch(otkg + "/sparql?query=" + encodeURIComponent(COUNT),
                          {headers: {Accept: "application/sparql-results+json"}});
  report("get", {status: got.status, release: got.headers.get("X-OTKG-Release"),
                 etag: got.headers.get("ETag"), body: await got.json()});
  const posted = await fetch(otkg + "/sparql", {method: "POST", body: "ASK { ?s ?p ?o }",
    headers: {"Content-Type": "application/sparql-query", Accept: "application/sparql-results+json"}});
  report("post", {status: posted.status, body: await posted.json()});
  try {
    const put = await fetch(otkg + "/graph/local/from-elsewhere", {method: "PUT", body: "",
                            headers: {"Content-Type": "text/turtle"}});
    report("put", {status: put.status});
  } catch (e) {
    report("put", {refused: e.name});
  }
})();
</script>
"""


async def other_site(scope, receive, send):
    """The second origin: one page, whatever the path."""
    if scope["type"] == "lifespan":  # nothing to start or stop
        while True:
            kind = (await receive())["type"].removeprefix("lifespan.")
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": PAGE})


def test_a_page_on_another_origin_reads_answers_but_cannot_write(chromium, real_server):
    with serving(other_site) as site:
        assert site != real_server  # another port: another origin
        page = chromium.new_page()
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append((r.method, r.url)))
        page.goto(f"{site}/?otkg={real_server}")
        page.wait_for_selector("#put", state="attached", timeout=30_000)
        got, posted, put = (json.loads(page.locator(f"#{i}").text_content()) for i in ("get", "post", "put"))
        page.close()
    assert got["status"] == 200 and got["body"]["results"]["bindings"][0]["n"]["value"] == "21"
    assert got["release"].startswith("https://w3id.org/otkg/") and got["etag"]  # exposed to the script
    assert posted == {"status": 200, "body": {"head": {}, "boolean": True}}
    assert put == {"refused": "TypeError"}  # the browser refused it: no answer reached the script
    assert ("PUT", real_server + "/graph/local/from-elsewhere") in requests
    assert errors and all("/graph/local/from-elsewhere" in e or "net::ERR_FAILED" in e for e in errors), (
        errors
    )
    assert all(url.startswith(("http://127.0.0.1:", "data:")) for _, url in requests)
