"""The JSON-LD context of otkg's compacted answers, at a stable URL for clients that want it apart."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ...kg.query import jsonld

router = APIRouter(tags=["entities"])


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context of compacted answers",
    responses={200: {"content": {jsonld.MEDIA_TYPE: {}}}},
)
async def context() -> Response:
    """The prefixes every compacted JSON-LD answer embeds in its @context, as a context document."""
    return Response(jsonld.context_document(), media_type=jsonld.MEDIA_TYPE)
