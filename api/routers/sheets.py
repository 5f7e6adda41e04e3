"""Trusts' spreadsheets over HTTP: the blank template, a package exported as XLSX, and the import of
an XLSX or CSV sheet that PUT /graph/local/{slug} hands over (api.routers.graphs).

HTTP only: reading, checking and building the graph is kg.build.sheet_import's, exporting kg.build.sheet_export's.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ...kg.build.sheet_export import ExportError, export_package, template
from ...kg.build.sheet_import import import_sheet
from ...kg.build.sheet_read import CSV_TYPE, XLSX_TYPE, SheetError
from ...kg.build.upload import MAX_DEPTH, UploadError, xml_depth
from ...kg.store.seam import GraphStore
from ..commits import commit
from ..errors import Problem

router = APIRouter(tags=["sheets"])
SHEET_TYPES = (XLSX_TYPE, CSV_TYPE)
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


def _param(request: Request, name: str) -> str:
    value = request.query_params.get(name, "").strip()
    if not value or len(value) > 500:
        raise Problem(
            422,
            "Invalid parameter",
            f"parameter '{name}': required with a spreadsheet upload (it must match the sheet)",
            parameter=name,
        )
    return value


def _import_sheet(body: bytes, media: str, *args):
    """import_sheet, and no part of a workbook nests deeper than an RDF/XML upload may (issue 22):
    openpyxl reads all but the worksheets with lxml, which stops at 256 levels, and the worksheets
    with an iterparse that skips what it does not know, however deep."""
    done = import_sheet(body, media, *args)
    if media == XLSX_TYPE:  # import_sheet has checked the archive's size and members
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            for part in workbook.infolist():
                if part.filename.endswith((".xml", ".rels")) and xml_depth(workbook.read(part)) > MAX_DEPTH:
                    raise UploadError(
                        422,
                        "Nested too deep",
                        f"'{part.filename}' in the workbook nests XML elements more than {MAX_DEPTH} levels "
                        f"deep; at most {MAX_DEPTH} are allowed",
                    )
    return done


async def put_sheet(
    request: Request, store: GraphStore, slug: str, media: str, body: bytes, ontology
) -> Response:
    """Import an uploaded sheet as the local graph `slug` and commit it, or answer 422 naming cells."""
    trust, cluster = _param(request, "trust"), _param(request, "cluster")
    named = FILE_NAME.search(request.headers.get("content-disposition", ""))
    file_name = named.group(1) if named else f"{slug}.{'csv' if media == CSV_TYPE else 'xlsx'}"
    try:
        done = await run_in_threadpool(
            _import_sheet, body, media, file_name, trust, cluster, store, ontology, slug
        )
    except SheetError as exc:
        raise Problem(
            422,
            "Invalid spreadsheet",
            f"{len(exc.problems)} problem(s); nothing was stored. First: {exc.problems[0]}",
            errors=[p.as_dict() for p in exc.problems],
        ) from None
    except UploadError as exc:
        raise Problem(exc.status, exc.title, exc.detail) from None
    except RecursionError:  # a sheet is a flat grid; should any step recurse, a 4xx, not a 500
        raise Problem(422, "Nested too deep", "the spreadsheet nests too deep to be read") from None
    generation, existed = await commit(store, done.graph, done.triples)
    return Response(
        status_code=204 if existed else 201,
        headers={
            "Location": done.graph,
            "X-OTKG-Store-Generation": generation,
            "X-OTKG-Triples": str(len(done.triples)),
        },
    )
