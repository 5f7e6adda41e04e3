"""Screenshots of the pages for the README: `python -m otkg.api.pages.screenshots [--out DIR] [NAME ...]`.

Without names it retakes every file in SHOTS. Serves the real graph (build/, built if missing) and
the demonstration graph (the real graph plus synthetic local care packages, api/pages/demo.py) with
uvicorn on loopback, and photographs them in headless Chromium (Debian `chromium`) through
Playwright. The browser tests share these helpers.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
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
    # the release as people download it: each file's address, size and checksum (the VoID's figures)
    ("release.png", "real", "/", "#release"),
]
# Shots of pages that draw after loading: the element to wait for before the picture (the SPARQL
# editor runs the query in its address and draws the results table).
DRAWN = {"sparql.png": "#yasgui .yasr table tbody tr"}

# The /contribute page over a writable disk store of its own: the form, a sheet with problems, a
# clean sheet's preview (CONTRIBUTE_SHOTS: file name, what is sent, element scrolled into view).
GOOD_SHEET = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "sheets" / "synthetic-trust-cluster-2.xlsx"
)
TRUST = "Synthetic Example NHS Trust (not real)"
CONTRIBUTE_SHOTS = [
    ("contribute.png", None, None),
    ("contribute-problems.png", "bad", "#problem"),
    ("contribute-preview.png", "good", "#preview-heading"),
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
    if out.name in DRAWN and page.locator("#yasgui").count():  # the editor only where YASGUI is set up
        page.locator(DRAWN[out.name]).first.wait_for(timeout=30_000)
    if focus:  # the element at the top of the picture, under a little of what precedes it
        page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -80)")
    page.screenshot(path=str(out))
    page.close()


def sheet_with_problems(out: Path) -> Path:
    """The synthetic Trust's sheet with two cells a lead might get wrong (a '-' for the ':' after an
    assessment's priority, and a grade that is not one)."""
    from openpyxl import load_workbook

    book = load_workbook(GOOD_SHEET)
    book["Package"]["A7"] = "if need identified - environment"
    book["Package"]["B6"] = "quite bad: responsibilities and routines"
    book.save(out)
    return out


@contextmanager
def contribute_server(build_dir: Path):
    """The app over a disk store in a scratch folder that takes uploads for 'synthetic-*' slugs;
    yields its URL and the upload key."""
    from ...kg.contrib.credentials import issue
    from ..main import create_app
    from ..settings import Settings

    with tempfile.TemporaryDirectory(prefix="otkg-contribute-") as tmp:
        key = issue(Path(tmp) / "credentials.json", "Synthetic Trust lead", "synthetic-*")
        app = create_app(settings=Settings(build_dir=build_dir, store="disk", store_dir=Path(tmp)))
        with serving(app) as url:
            yield url, key


def send_sheet(page, sheet: Path, key: str, trust: str = TRUST, cluster: str = "2", slug: str = "") -> None:
    """Fill in the /contribute form as a lead would, and ask for the check."""
    page.get_by_label("Your filled-in sheet").set_input_files(str(sheet))
    page.get_by_label("Your Trust's name").fill(trust)
    page.get_by_label("Care cluster").select_option(cluster)
    page.get_by_label("Web name for your package (optional)").fill(slug)
    page.get_by_label("Your Trust's upload key", exact=True).fill(key)
    page.get_by_role("button", name="Check my package").click()
    page.wait_for_load_state()


def take_contribute(browser, build_dir: Path, out: Path, names: list[str]) -> None:
    """The /contribute shots: the form, then a sheet with problems and a clean sheet's preview."""
    wanted = [shot for shot in CONTRIBUTE_SHOTS if not names or shot[0] in names]
    if not wanted:
        return
    with contribute_server(build_dir) as (url, key), tempfile.TemporaryDirectory() as tmp:
        sheets = {"good": GOOD_SHEET, "bad": sheet_with_problems(Path(tmp) / "problems.xlsx")}
        for name, sent, focus in wanted:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(url + "/contribute")
            if sent:
                send_sheet(page, sheets[sent], key, slug="synthetic-trust")
            if focus:
                page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.evaluate("window.scrollBy(0, -80)")
            page.screenshot(path=str(out / name))
            page.close()
            print(out / name)


# A cluster's page across Trusts, over five synthetic Trusts' sheets that the tests make
# (tests/trust_sheets.py, never in the default graph), uploaded to a scratch disk store
# (TRUSTS_SHOTS: file name, path, element scrolled into view).
TRUSTS_SHOTS = [
    ("cluster-across-trusts.png", "/id/cluster-2", "#trusts-including"),
    ("cluster-ranges.png", "/id/cluster-2", "#ranges"),
]


def take_trusts(browser, build_dir: Path, out: Path, names: list[str]) -> None:
    """The cross-Trust shots; run from the repository's root (they need tests/ and bench/)."""
    wanted = [shot for shot in TRUSTS_SHOTS if not names or shot[0] in names]
    if not wanted:
        return
    from bench.uploaded_store import load
    from tests.trust_sheets import uploads

    from ..main import create_app
    from ..settings import Settings

    with tempfile.TemporaryDirectory(prefix="otkg-trusts-") as tmp:
        load(Path(tmp), build_dir, uploads())
        app = create_app(settings=Settings(build_dir=build_dir, store="disk", store_dir=Path(tmp)))
        with serving(app) as url:
            for name, path, focus in wanted:
                take(browser, url, path, focus, out / name)
                print(out / name)


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
            take_contribute(browser, settings.build_dir, args.out, args.names)
            take_trusts(browser, settings.build_dir, args.out, args.names)
            browser.close()


if __name__ == "__main__":
    main()
