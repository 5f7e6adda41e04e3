"""The store seam: where the built graph lives and is queried.

Embedded pyoxigraph on disk is the default (one folder per release, switched atomically), or in
memory for tests. A remote SPARQL 1.1 server plugs in behind the same small interface.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .remote_store import RemoteTriples
from .sparql_text import names_dataset


def is_graph_result(result) -> bool:
    """True for CONSTRUCT/DESCRIBE answers (triples), from the embedded or a remote store."""
    return isinstance(result, (ox.QueryTriples, RemoteTriples))


class GraphStore(Protocol):
    def query(self, sparql: str, *, default_graph: list | None = None,
              named_graphs: list | None = None, base_iri: str | None = None): ...
    def graph_names(self) -> set[str]: ...


class EmbeddedStore:
    """A pyoxigraph store; the default graph of a query is the union of all named graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def in_memory(cls, nquads: bytes) -> EmbeddedStore:
        st = ox.Store()
        st.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        return cls(st)

    def query(self, sparql: str, *, default_graph: list | None = None,
              named_graphs: list | None = None, base_iri: str | None = None):
        """Run a SPARQL query; raises SyntaxError for a malformed query.

        `base_iri` resolves relative IRIs in the query (the protocol endpoint passes its own URL).
        """
        kwargs = {}
        if base_iri:
            kwargs["base_iri"] = base_iri
        if default_graph is not None or named_graphs is not None:
            # An explicit dataset (protocol default-graph-uri / named-graph-uri) replaces the union.
            if default_graph is not None:
                kwargs["default_graph"] = default_graph
            if named_graphs is not None:
                kwargs["named_graphs"] = named_graphs
        elif not names_dataset(sparql):  # a query's own FROM clauses define its dataset
            kwargs["use_default_graph_as_union"] = True
        return self.store.query(sparql, **kwargs)

    def graph_names(self) -> set[str]:
        return {g.value for g in self.store.named_graphs()}


def prepare_release(store_root: Path, nquads_file: Path, release: str) -> Path:
    """Load a release into its own folder once; returns the folder.

    The load goes to a staging folder renamed into place when complete, and `current` is switched
    by an atomic rename, so a crash mid-load leaves the store that was being served intact. A file
    lock makes concurrent callers (several API workers starting at once) load it only once.
    """
    store_root.mkdir(parents=True, exist_ok=True)
    target = store_root / release
    with open(store_root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".complete").exists():
            staging = store_root / f".{release}.loading"
            shutil.rmtree(staging, ignore_errors=True)
            st = ox.Store(str(staging))
            st.bulk_load(path=str(nquads_file), format=ox.RdfFormat.N_QUADS)
            st.flush()
            del st
            (staging / ".complete").touch()
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        tmp = store_root / ".current.tmp"
        tmp.write_text(release, encoding="utf-8")
        os.replace(tmp, store_root / "current")
        for old in store_root.iterdir():  # earlier releases are no longer served
            if old.is_dir() and old.name != release and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    return target


def open_release(store_root: Path, nquads_file: Path, release: str) -> EmbeddedStore:
    """The release's on-disk store, opened read-only so that several worker processes can share it."""
    return EmbeddedStore(ox.Store.read_only(str(prepare_release(store_root, nquads_file, release))))

