"""Errors as HTML pages for browsers; every other client keeps the problem+json of api/errors.py.

Each handler api/errors.py registered is wrapped: the original still decides status, title and
detail, and a browser gets them rendered with the same status.
"""

from __future__ import annotations

import inspect
import json

from fastapi import FastAPI, Request

from .render import page, wants_html


def _html_first(original):
    async def handler(request: Request, exc: Exception):
        response = original(request, exc)
        if inspect.isawaitable(response):
            response = await response
        if request.scope.get("type") != "http" or not wants_html(request):
            return response
        try:
            problem = json.loads(response.body)
        except (AttributeError, ValueError):
            return response
        html = page(
            request,
            "error.html",
            response.status_code,
            title=problem.get("title", "Error"),
            detail=problem.get("detail", ""),
            code=response.status_code,
        )
        for name, value in response.headers.items():  # e.g. Retry-After on a busy pool
            if name not in ("content-type", "content-length"):
                html.headers.setdefault(name, value)
        return html

    return handler


def install(app: FastAPI) -> None:
    """Wrap every registered exception handler so that browsers get an HTML error page."""
    for key, original in list(app.exception_handlers.items()):
        app.add_exception_handler(key, _html_first(original))
