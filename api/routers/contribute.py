"""/contribute: the page on which a Trust's OT lead checks and publishes a package sheet (api/pages/contribute.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..pages import contribute

# Pages for people, not API routes: uploads by program go to PUT /graph/local/{slug}.
router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/contribute", response_class=HTMLResponse)
async def contribute_form(request: Request) -> HTMLResponse:
    """The three steps: get the template, fill it in, upload it."""
    return await contribute.form(request)


@router.post("/contribute", response_class=HTMLResponse)
async def contribute_preview(request: Request) -> HTMLResponse:
    """Check an uploaded sheet and show it before it is published."""
    return await contribute.preview(request)


@router.post("/contribute/publish", response_class=HTMLResponse)
async def contribute_publish(request: Request) -> HTMLResponse:
    """Publish a checked sheet."""
    return await contribute.publish(request)
