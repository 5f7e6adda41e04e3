"""What routes depend on: settings, the opened store, the catalogue, the release, the search index."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from ..kg.query.query_catalog import NamedQuery
from ..kg.query.query_pool import QueryPool
from ..kg.query.search import SearchIndex
from ..kg.store.seam import GraphStore


@dataclass
class Release:
    version: str
    version_iri: str
    digest: str
    commit: str


@dataclass
class Services:
    store: GraphStore
    catalog: dict[str, NamedQuery]
    release: Release
    search: SearchIndex
    documents: dict[str, str]  # seed file name -> text, for quote context
    pool: QueryPool | None = None  # started with the app
    build_dir: Path | None = None  # the build it was opened from: the ontology files are read there


async def get_services(request: Request) -> Services:  # async: FastAPI runs plain defs in a thread
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]
