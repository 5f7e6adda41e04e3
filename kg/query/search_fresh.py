"""The text search index kept to the store it indexes: whatever a write stores, replaces, restores or
removes is searchable at once, in every API process.

The index remembers the store generation it was built from (kg.store.seam: the disk store's
generation folder, which a commit in any process switches). A search first compares that with the
store's; if a commit has switched it, the index is rebuilt in a thread, once: searches arriving
meanwhile wait for the same rebuild. The process that commits calls reindex() right after.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from ..store.freed_memory import return_freed_memory
from .search import SearchIndex

log = logging.getLogger("otkg.search")


def scan(store, documents: dict[str, str] | None = None) -> SearchIndex:
    """A new index of the store's texts. The scan fills the store's block cache with pages no read
    needs again (about 70 MiB of an API process at 1M quads): dropped, and the memory handed back."""
    index = SearchIndex.from_store(store, documents)
    store.drop_caches()
    return_freed_memory()
    return index


class FreshSearch:
    """A SearchIndex and the store generation it was built from; `on_rebuilt` is told of each new one."""

    def __init__(
        self,
        store,
        index: SearchIndex,
        generation: str,
        documents: dict[str, str] | None = None,
        on_rebuilt: Callable[[SearchIndex], None] | None = None,
    ):
        self.store, self.index, self.generation = store, index, generation
        self.documents, self.on_rebuilt = documents, on_rebuilt
        self.rebuilds = 0  # how many times it was rebuilt since it was made
        self._rebuild: asyncio.Task | None = None

    @classmethod
    def build(cls, store, documents: dict[str, str] | None = None) -> FreshSearch:
        """Index the store now (blocking: for start-up)."""
        generation = store.generation  # read first: a commit during the scan then makes it stale
        return cls(store, scan(store, documents), generation, documents)

    def stale(self) -> bool:
        """Whether a commit has switched the store since the index was built (a stat of the store's
        pointer for the disk store; never for the others, whose data does not change under them)."""
        return self.store.generation != self.generation

    async def current(self, timeout: float | None = None) -> SearchIndex:
        """The index, rebuilt first if it is stale; TimeoutError when that takes over `timeout`
        seconds (the rebuild goes on for the next search). If the rebuild fails, the index as it
        was, and the failure logged."""
        if not self.stale():
            return self.index
        try:
            return await asyncio.wait_for(self.reindex(), timeout)
        except TimeoutError:
            raise
        except Exception:
            log.exception("could not rebuild the search index; searching the one built before")
            return self.index

    async def reindex(self) -> SearchIndex:
        """Rebuild the index from the store as it is now, in a thread. A rebuild already under way
        is joined, not doubled; if the store moved on while it ran, another follows."""
        while True:
            task = self._rebuild
            if task is None or task.done():
                task = self._rebuild = asyncio.get_running_loop().create_task(self._rebuilt())
            await asyncio.shield(task)  # a search that gives up waiting leaves it running
            if not self.stale():
                return self.index

    async def _rebuilt(self) -> None:
        generation = self.store.generation  # before the scan, as in build()
        index = await asyncio.to_thread(scan, self.store, self.documents)
        self.index, self.generation = index, generation
        self.rebuilds += 1
        if self.on_rebuilt is not None:
            self.on_rebuilt(index)
