"""Every error answers RFC 9457 problem+json that names what was wrong; never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from ..kg.query.query_service import ParamError

PROBLEM = "application/problem+json"
log = logging.getLogger("otkg.api")


class Problem(Exception):
    """An error to answer as problem+json with a status, a title and a detail."""

    def __init__(self, status: int, title: str, detail: str, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra
        self.headers = headers or {}  # e.g. Retry-After


def problem_response(
    status: int, title: str, detail: str, headers: dict | None = None, **extra
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into problem+json."""

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem):
        return problem_response(exc.status, exc.title, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(ParamError)
    async def _param(_: Request, exc: ParamError):
        return problem_response(422, "Invalid parameter", str(exc), parameter=exc.param)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        errors = exc.errors()
        names = [".".join(str(x) for x in e.get("loc", ())[1:]) or "request" for e in errors]
        detail = "; ".join(f"{n}: {e.get('msg', 'invalid')}" for n, e in zip(names, errors, strict=True))
        return problem_response(422, "Invalid parameter", detail, parameter=names[0] if names else "")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        return problem_response(exc.status_code, title, str(exc.detail))

    @app.exception_handler(ClientDisconnect)
    async def _gone(_: Request, exc: ClientDisconnect):
        # The client left (or api.connections closed it for a body not sent in time) while its
        # request body was read: nobody gets an answer, and it is no server error to log.
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception):
        log.exception("unexpected error")
        return problem_response(500, "Internal error", "the server failed; the error was logged")
