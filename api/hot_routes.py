"""ASGI middleware: the two hot query routes go straight to their handlers.

GET /sparql and GET /queries/{name} carry nearly all query traffic. FastAPI's router tries its
routes one by one (one per named query) and solves dependencies for each request, which measured
about half of the API process's own time per query. This middleware sends those requests to the
very same handler functions, with the same exception handlers, so answers and errors are
identical; only the routing is skipped. Everything else (HTML pages, POST, other paths) goes on to
the app as before.
"""

from __future__ import annotations

from starlette.requests import Request

from . import pages
from .routers.queries import run_query
from .routers.sparql import sparql

QUERIES = "/queries/"


class HotRoutes:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        path = scope["path"]
        name = path[len(QUERIES) :] if path.startswith(QUERIES) else None
        # The handlers themselves, not their or_page wrappers: HTML was ruled out just below.
        if path == "/sparql":

            async def call(request):
                return await sparql.__wrapped__(request=request)
        elif name in scope["app"].state.services.catalog:

            async def call(request):
                return await run_query.__wrapped__(name=name, request=request)
        else:
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        if pages.wants_html(request):  # pages need the router (url_for): the app serves them
            return await self.app(scope, receive, send)
        try:
            response = await call(request)
        except Exception as exc:  # answered by the app's own handler for it, as routed (re-raised otherwise)
            handler = _handler_for(scope["app"].exception_handlers, exc)
            if handler is None:
                raise
            response = await handler(request, exc)
        await response(scope, receive, send)


def _handler_for(handlers: dict, exc: Exception):
    """The exception handler Starlette would pick: the nearest class in the exception's MRO."""
    for cls in type(exc).__mro__:
        if cls in handlers:
            return handlers[cls]
    return None
