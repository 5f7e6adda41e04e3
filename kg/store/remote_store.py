"""A SPARQL 1.1 server behind the store seam: Query protocol to read, Graph Store Protocol to load.

The server must answer queries over the union of its named graphs by default (Oxigraph server:
`--union-default-graph`; Virtuoso does so out of the box; Fuseki: `tdb2:unionDefaultGraph true`).
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote, urlencode

import httpx
import pyoxigraph as ox

from ..sparql_text import query_form

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


class RemoteError(RuntimeError):
    """The remote server failed or answered something that is not SPARQL results."""


class ReadOnlyStore(PermissionError):
    """A commit asked of a store that cannot take one (kg.store.seam.GraphStore.can_commit is False)."""


class RemoteTriples:
    """CONSTRUCT/DESCRIBE results from a server: iterable triples that serialise like pyoxigraph's."""

    def __init__(self, triples: list[ox.Triple]):
        self.triples = triples

    def __iter__(self):
        return iter(self.triples)

    def serialize(self, output=None, format=ox.RdfFormat.TURTLE):
        return ox.serialize(self.triples, output, format=format)


class RemoteStore:
    """A kg.store.seam.GraphStore over HTTP. otkg loads it (`otkg load`) but never commits to it while
    serving, so its generation is constant and what it holds is read from the build's VoID."""

    generation = ""
    can_commit = False
    is_remote = True

    def __init__(
        self,
        query_url: str,
        store_url: str | None = None,
        timeout: float = 60.0,
        user: str | None = None,
        password: str | None = None,
    ):
        self.query_url, self.store_url, self.timeout = query_url, store_url, timeout
        # Digest auth for loading: Virtuoso's /sparql-graph-crud-auth asks for it.
        auth = httpx.DigestAuth(user, password or "") if user else None
        self.http = httpx.Client(timeout=timeout, auth=auth)

    def spec(self, copy_up_to_bytes: int = 0) -> tuple:
        """What a query worker process needs to reach the same server (no load credentials)."""
        return ("remote", self.query_url, None, self.timeout)

    def query(
        self,
        sparql: str,
        *,
        default_graph: list | None = None,
        named_graphs: list | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        """Send the query; parse the answer into pyoxigraph types."""
        text = sparql
        if base_iri:
            text = f"BASE <{ox.NamedNode(base_iri).value}>\n{text}"
        form = [("query", text)]
        form += [("default-graph-uri", g.value) for g in default_graph or []]
        form += [("named-graph-uri", g.value) for g in named_graphs or []]
        # Form POST: every SPARQL 1.1 server takes it (Virtuoso 7 stalls on a direct POST). Ask for
        # triples only for graph queries: some servers answer a CONSTRUCT in the results format.
        graph = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        r = self.http.post(
            self.query_url,
            content=urlencode(form).encode("ascii"),
            headers={
                "accept": NTRIPLES if graph else JSON,
                "content-type": "application/x-www-form-urlencoded",
            },
        )
        if r.status_code == 400:
            raise SyntaxError(r.text[:500])
        if r.status_code != 200:
            raise RemoteError(f"{self.query_url} answered {r.status_code}: {r.text[:300]}")
        ctype = r.headers.get("content-type", "").split(";")[0].strip()
        if ctype == JSON:
            return ox.parse_query_results(r.content, format=ox.QueryResultsFormat.JSON)
        if ctype in (NTRIPLES, "text/plain"):
            return RemoteTriples([t for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)])
        raise RemoteError(f"{self.query_url} answered an unexpected content type {ctype!r}")

    def graph_names(self) -> set[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {r["g"].value for r in rows}  # type: ignore[union-attr]

    def commit(self, graph: str, triples: list[ox.Triple] | None, record=None) -> tuple[str, bool]:
        raise ReadOnlyStore("uploads need the embedded disk store (OTKG_STORE=disk), not a remote server")

    def drop_caches(self) -> None:
        pass  # the server manages its own caches

    def stale(self) -> bool:
        return False  # each query reads the server's data as it is then

    def load_nquads(self, nquads: bytes) -> int:
        """Replace each named graph on the server by its quads (Graph Store Protocol PUT)."""
        if not self.store_url:
            raise RemoteError("no Graph Store Protocol URL configured for loading")
        graphs: dict[str, list] = defaultdict(list)
        for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            graphs[q.graph_name.value].append(ox.Triple(q.subject, q.predicate, q.object))
        for name, triples in sorted(graphs.items()):
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            r = self.http.put(
                f"{self.store_url}?graph={quote(name, safe='')}",
                content=body,
                headers={"content-type": NTRIPLES},
            )
            if r.status_code not in (200, 201, 204):
                raise RemoteError(f"loading graph {name} failed: {r.status_code} {r.text[:300]}")
        return len(graphs)
