"""The query workers' store, opened once in their forkserver (kg.query.query_pool preloads this
module there) so that every worker forked from it shares the copy's memory pages instead of loading
its own (issue 22, item 7: each copy of the real graph held ~55 MiB and 0.3 CPU-seconds).

The API process names the store in $OTKG_WORKER_STORE (its spec as JSON) before the forkserver starts.
Only a release store copied into memory is opened here: a store read from disk would leave RocksDB
handles behind a fork. The store checks its generation at each query, so after a commit a worker
loads the new one itself, as it did before.
"""

from __future__ import annotations

import json
import logging
import os

from ..store.seam import GraphStore, open_spec
from .query_pool import WORKER_STORE_ENV, shareable


def _preload() -> tuple[tuple | None, GraphStore | None]:
    spec = tuple(json.loads(os.environ.get(WORKER_STORE_ENV) or "[]"))
    if not shareable(spec):
        return None, None
    try:
        return spec, open_spec(spec)
    except Exception:
        logging.getLogger("otkg.pool").exception("could not preload the workers' store")
        return None, None


_SPEC, _STORE = _preload()


def open_worker_store(spec: tuple) -> GraphStore:
    """The store a worker answers from: the forkserver's copy when it is of this spec, else its own."""
    if _STORE is not None and spec == _SPEC:
        return _STORE
    return open_spec(spec)
