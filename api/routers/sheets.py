"""Trusts' spreadsheets over HTTP: the blank template and a package exported as XLSX. (Importing a
sheet is a write like any other: PUT /graph/local/{slug}, api.routers.graphs.)

HTTP only: reading, checking and building the graph is kg.pipeline.sheet_import's, exporting kg.pipeline.sheet_export's.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...kg.pipeline.sheet_export import ExportError, export_package, template
from ...kg.pipeline.sheet_read import XLSX_TYPE
from ..errors import Problem

router = APIRouter(tags=["sheets"])
XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An XLSX workbook in the package sheet layout",
        "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    }
}
FILE_NAME = re.compile(r'filename="?([^";/\\]{1,200})"?')


def _xlsx(body: bytes, name: str) -> Response:
    return Response(
        body, media_type=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/templates/care-package.xlsx",
    summary="The blank care package sheet for Trusts",
    response_class=Response,
    responses=XLSX_RESPONSE,
)
async def care_package_template(request: Request) -> Response:
    """The layout an import accepts (sheet 'Package': B1 trust, B2 cluster, headers in row 4), with an
    Instructions sheet giving the cell grammar and the allowed words, and drop-down lists."""
    body = await run_in_threadpool(template, request.app.state.services.store)
    return _xlsx(body, "care-package.xlsx")


@router.get(
    "/packages/export.xlsx",
    summary="A care package (national or local) as a package sheet",
    response_class=Response,
    responses=XLSX_RESPONSE,
)
async def export_package_sheet(
    request: Request,
    package: str = Query(
        ..., description="the package IRI, e.g. https://w3id.org/otkg/id/ot-package-cluster-2"
    ),
) -> Response:
    """The package's entries in the import layout; importing the file gives the same entries and links."""
    try:
        body = await run_in_threadpool(export_package, request.app.state.services.store, package)
    except ExportError as exc:
        raise Problem(422, "Invalid parameter", f"parameter 'package': {exc}", parameter="package") from None
    except LookupError as exc:
        raise Problem(404, "Not found", str(exc.args[0])) from None
    return _xlsx(body, package.rstrip("/").rsplit("/", 1)[-1] + ".xlsx")
