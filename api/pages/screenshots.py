"""Screenshots of the pages for the README: `python -m otkg.api.pages.screenshots [--out DIR] [NAME ...]`.

Without names it retakes every file in SHOTS. Serves the real graph (build/, built if missing) and
the demonstration graph (the real graph plus synthetic local care packages, api/pages/demo.py) with
uvicorn on loopback, and photographs them in headless Chromium (Debian `chromium`) through
Playwright. The browser tests share these helpers.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import uvicorn

CHROMIUM = "/usr/bin/chromium"
# Headless, and quiet: no sandbox (CI containers run as root), no calls home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ID = "https://w3id.org/otkg/id/"
SHOTS = [  # file name, server, path, element scrolled into view first (or None)
    ("home.png", "real", "/", None),
    ("entity.png", "real", "/id/intervention-04", "#provenance"),
    ("trace.png", "real", "/trace?iri=" + quote(ID + "intervention-16", safe=""), None),
    # as after a click on a quote box: the fragment opens that quote's context in the table
    (
        "trace-text.png",
        "real",
        "/trace?iri=" + quote(ID + "intervention-16", safe="") + "#passage-3-0",
        "tr:has(#passage-2-0)",
    ),
    ("matrix.png", "demo", "/matrix", "#heading-intervention"),
    ("matrix-real-graph.png", "real", "/matrix", None),
    ("cluster.png", "real", "/id/cluster-2", "#packages"),
    ("package.png", "real", "/id/ot-package-cluster-2", "#sheet"),
    ("local-package.png", "demo", "/id/syn-pkg-0-2", "#national"),
    (
        "query.png",
        "real",
        "/queries/evidence-for-entity?entity=" + quote(ID + "intervention-04", safe=""),
        "#param-entity",
    ),
    (
        "sparql.png",
        "real",
        "/sparql?query="
        + quote(
            "PREFIX otkg: <https://w3id.org/otkg/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?cluster ?code ?label WHERE {\n  ?cluster a otkg:CareCluster ;"
            " otkg:clusterCode ?code ; rdfs:label ?label .\n} ORDER BY ?code",
            safe="",
        ),
        None,
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, timeout: float = 120):
    """Serve an ASGI app with uvicorn on a free loopback port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def launch(playwright):
    """Headless Debian Chromium; Playwright's own browser downloads are never used."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def take(browser, base: str, path: str, focus: str | None, out: Path) -> None:
    """One PNG of the page at path, with `focus` (a CSS selector) scrolled to near the top."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(base + path)
    if focus:  # the element at the top of the picture, under a little of what precedes it
        page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -80)")
    page.screenshot(path=str(out))
    page.close()


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    from ...kg.query.query_catalog import load_catalog
    from ...kg.seeds import SEEDS_DIR
    from ..main import create_app
    from ..settings import Settings, get_settings
    from .demo import demo_services

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("names", nargs="*", help="only these files (e.g. entity.png); all by default")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings(build_dir=get_settings().build_dir, store="memory")
    real = create_app(settings=settings)
    with serving(real) as real_url:  # builds build/ first if it is missing
        seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
        demo = create_app(
            services=demo_services(
                settings.build_dir, load_catalog(settings.queries_dir), seeds, target_triples=60_000
            )
        )
        with serving(demo) as demo_url, sync_playwright() as pw:
            browser = launch(pw)
            for name, server, path, focus in SHOTS:
                if args.names and name not in args.names:
                    continue
                take(browser, real_url if server == "real" else demo_url, path, focus, args.out / name)
                print(args.out / name)
            browser.close()


if __name__ == "__main__":
    main()
