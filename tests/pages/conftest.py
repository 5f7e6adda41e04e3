"""Page fixtures: the app over the real graph and over the demonstration graph (real graph plus
synthetic local care packages of kg.pipeline.scale.generate(10_000)), in process and behind real uvicorn
servers, and headless Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from otkg.api.main import create_app
from otkg.api.pages.demo import demo_services
from otkg.api.pages.screenshots import CHROMIUM, launch, serving
from otkg.api.settings import Settings
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.seeds import SEEDS_DIR

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"}


# Each client and server gets its own app: a lifespan owns the services (and query pool) it opens.
@pytest.fixture(scope="session")
def real_app(build_dir):
    return lambda: create_app(settings=Settings(build_dir=build_dir, store="memory"))


@pytest.fixture(scope="session")
def demo_app(build_dir):
    seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
    return lambda: create_app(services=demo_services(build_dir, load_catalog(), seeds, target_triples=10_000))


@pytest.fixture(scope="session")
def html(real_app):
    """In-process client of the real graph that asks for HTML as a browser does."""
    with TestClient(real_app(), follow_redirects=False, headers=BROWSER) as c:
        yield c


@pytest.fixture(scope="session")
def demo_html(demo_app):
    """In-process client of the demonstration graph (real plus synthetic local packages)."""
    with TestClient(demo_app(), follow_redirects=False, headers=BROWSER) as c:
        yield c


@pytest.fixture(scope="session")
def real_server(real_app):
    with serving(real_app()) as url:
        yield url


@pytest.fixture(scope="session")
def demo_server(demo_app):
    with serving(demo_app()) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium driven by Playwright; skipped only when the browser is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"headless Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium):
    """A fresh page that fails the test on any console error or request to another origin."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda r: (
            problems.append("off-site request: " + r.url)
            if not r.url.startswith(("http://127.0.0.1:", "data:"))
            else None
        ),
    )
    yield page
    page.close()
    assert problems == []
