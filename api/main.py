"""The FastAPI app: opens the built graph in the lifespan and mounts the routers."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..kg import __version__
from ..kg.pipeline import build as kg_build
from ..kg.pipeline.release import git_commit, read_release
from ..kg.query.query_catalog import load_catalog
from ..kg.query.query_pool import QueryPool
from ..kg.query.search_fresh import FreshSearch
from ..kg.seeds import SEEDS_DIR
from ..kg.store.remote_store import RemoteStore
from ..kg.store.seam import EmbeddedStore, GraphStore, open_release
from . import docs, errors, openapi_responses, pages, security_headers
from .budgets import Budgets
from .client_limits import ClientLimits
from .cors import Cors
from .deps import Release, Services
from .head import HeadAsGet
from .hot_routes import HotRoutes
from .pages.render import or_page
from .release_headers import ReleaseHeaders
from .response_cache import ResponseCache
from .routers import (
    contribute,
    entities,
    graph_reads,
    graphs,
    jsonld_context,
    ontology,
    queries,
    release_files,
    sheets,
    sparql,
    void,
)
from .routers import pages as page_routes
from .settings import ROOT, Settings, get_settings
from .url_limit import UrlLimit


def open_store(settings: Settings, nquads: Path, release: str) -> GraphStore:
    """The store the settings choose: embedded on disk (default), in memory, or a remote server."""
    if settings.store == "memory":
        return EmbeddedStore.in_memory(nquads.read_bytes())
    if settings.store == "remote":
        if not settings.sparql_url:
            raise ValueError("OTKG_STORE=remote needs OTKG_SPARQL_URL")
        return RemoteStore(
            settings.sparql_url,
            settings.graph_store_url or None,
            user=settings.graph_store_user or None,
            password=settings.graph_store_password or None,
            check_seconds=settings.remote_check_seconds,
            max_age_seconds=settings.remote_max_age_seconds,
        )
    if settings.store != "disk":
        raise ValueError(f"OTKG_STORE must be disk, memory or remote, not {settings.store!r}")
    return open_release(settings.store_dir, nquads, release)


def _pool(settings: Settings, store: GraphStore) -> QueryPool:
    return QueryPool(
        store.spec(settings.worker_memory_mb * 2**20),
        settings.query_workers,
        lanes=settings.query_lanes,
        inline_s=settings.inline_ms / 1000,
        memory_limit=settings.query_memory_mb * 2**20,
        answer_limit=settings.answer_max_mb * 2**20,
    )


async def open_services(settings: Settings, catalog: dict) -> Services:
    """Build the graph (validated) if build/ has none, open the store the settings choose, start
    the query workers and index the store.

    The first worker is spawned before the index is built, so that it copies the store on the other
    core meanwhile (the index takes about 0.34 s of a start-up of about 2.5 s)."""
    kg_build.ensure_built(settings.build_dir, needs=("release.json", "otkg.nq"))
    info = read_release(settings.build_dir)
    store = open_store(settings, settings.build_dir / "otkg.nq", info["inputsDigest"][:16])
    release = Release(
        info["version"], info["versionIRI"], info["inputsDigest"], settings.build_commit or git_commit(ROOT)
    )
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
    pool = _pool(settings, store)
    starting = asyncio.ensure_future(
        pool.start(wait_for=1)
    )  # the first answer needs one worker; the rest join later
    await asyncio.sleep(0)  # let it spawn the first worker
    try:
        search = FreshSearch.build(store)  # then drops the store's block cache the scan filled
        await starting
    except BaseException:
        starting.cancel()
        await pool.close()
        raise
    return Services(
        store,
        catalog,
        release,
        search.index,
        docs,
        pool=pool,
        build_dir=settings.build_dir,
        fresh_search=search,
    )


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or get_settings()
    catalog = services.catalog if services else load_catalog(settings.queries_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own_pool = services is None or services.pool is None
        s = app.state.services = services or await open_services(
            settings, catalog
        )  # routes and runs share one catalogue
        if s.pool is None:  # services given without workers (tests): start them here
            s.pool = _pool(settings, s.store)
            await s.pool.start(wait_for=1)
        try:
            yield
        finally:
            if getattr(app.state, "checking", None) is not None:  # the uploads' checking process
                app.state.checking.stop()
            if own_pool:
                await s.pool.close()
                s.pool = None

    app = FastAPI(
        title="otkg",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,  # served by api.docs without a CDN
        telemetry={"tracing": settings.telemetry, "metrics": settings.telemetry, "logs": settings.telemetry},
        description="Occupational therapy care packages knowledge graph: SPARQL endpoint, "
        "named queries, entities with passage-level provenance.",
    )
    app.state.settings = settings
    shared = Path(settings.budget_file) if settings.budget_file else None  # set by `otkg serve`
    budgets = Budgets(settings.client_budget_s, settings.client_refill_per_s, shared)
    app.state.limits = ClientLimits(
        settings.client_budget_s,
        settings.client_refill_per_s,
        settings.client_free_s,
        settings.client_concurrency,
        budgets,
        settings.client_crash_cost_s,
    )
    errors.install(app)
    openapi_responses.install(app, catalog)  # problem+json errors and real media types in /openapi.json
    pages.install(app)  # browsers get the same errors as HTML pages
    security_headers.install(app)  # the last-resort 500 is sent outside the middleware below
    docs.install(app)  # /docs and /redoc, before the entity route that catches every other path

    app.add_middleware(HotRoutes)  # innermost: the hot query routes skip FastAPI's routing
    app.add_middleware(ResponseCache, max_bytes=settings.response_cache_mb * 2**20)
    app.add_middleware(ReleaseHeaders)
    app.add_middleware(
        UrlLimit, max_length=settings.max_url_length
    )  # outside those: cached answers get headers and ETags too
    app.add_middleware(HeadAsGet)  # outside them all: every layer sees HEAD as the GET it answers like
    app.add_middleware(
        Cors
    )  # outermost: preflights are answered, and every read's answer allowed, errors too

    @app.get("/", summary="About this graph")
    @or_page(pages.home)
    async def home(request: Request) -> JSONResponse:
        """The release, its sources and where to go next."""
        s = request.app.state.services
        return JSONResponse(
            {
                "release": s.release.__dict__,
                "queries": len(s.catalog),
                "links": {
                    "sparql": "/sparql",
                    "queries": "/queries",
                    "search": "/search?q=",
                    "trace": "/trace?iri=",
                    "openapi": "/openapi.json",
                    "ontology": "/ontology",
                },
            }
        )

    app.include_router(sparql.router)
    app.include_router(queries.build_router())
    app.include_router(page_routes.router)
    app.include_router(graphs.router)
    app.include_router(graph_reads.router)  # GET and HEAD of an uploaded graph, before the entity route
    app.include_router(sheets.router)  # the template and package exports as XLSX
    app.include_router(contribute.router)  # /contribute: a Trust's lead checks and publishes a sheet
    app.include_router(jsonld_context.router)  # /context.jsonld
    app.include_router(void.router)  # /.well-known/void
    app.include_router(release_files.router)  # /release/{version}/{name}, /release.json
    app.include_router(ontology.router)  # /ontology, its releases and files
    app.include_router(entities.router)  # last: its /{path} route catches entity IRIs
    return app
