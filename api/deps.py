"""What routes depend on: settings, the opened store, the catalogue, the release, the search index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from ..kg.query.query_catalog import NamedQuery
from ..kg.query.query_pool import QueryPool
from ..kg.query.search import SearchIndex
from ..kg.query.search_fresh import FreshSearch
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
    # keeps `search` to the store's generation; made from `search` and the store's generation if not given
    fresh_search: FreshSearch | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.fresh_search is None:
            self.fresh_search = FreshSearch(self.store, self.search, self.store.generation)
        self.search = self.fresh_search.index
        self.fresh_search.on_rebuilt = self._rebuilt

    def _rebuilt(self, index: SearchIndex) -> None:
        self.search = index  # pages read its labels too

    async def current_search(self, timeout: float | None = None) -> SearchIndex:
        """The search index, first rebuilt (in a thread, once for every search waiting) if a commit in
        any process has switched the store since it was built; TimeoutError past `timeout` seconds."""
        assert self.fresh_search is not None
        return await self.fresh_search.current(timeout)

    async def reindex(self) -> SearchIndex:
        """Rebuild the search index from the store now. The process that commits a write (an upload, an
        import, a restore, a removal) awaits this right after the commit, before answering."""
        assert self.fresh_search is not None
        return await self.fresh_search.reindex()


async def get_services(request: Request) -> Services:  # async: FastAPI runs plain defs in a thread
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]
