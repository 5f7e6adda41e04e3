"""A SPARQL 1.1 server behind the store seam: Query protocol to read, Graph Store Protocol to load.

The server must answer queries over the union of its named graphs by default (Oxigraph server:
`--union-default-graph`; Virtuoso does so out of the box; Fuseki: `tdb2:unionDefaultGraph true`).
Its data may change under otkg (another loader, the server's own endpoint): the store's generation,
which keys every cached answer, follows it (RemoteGeneration).
"""

from __future__ import annotations

import itertools
import threading
import time
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


# Counting every quad costs ~25 ms on Virtuoso and ~80 ms on `oxigraph serve` at 107k quads (a sum
# over every literal's length, which would also see a same-size edit, ~110 and ~250 ms).
PROBE = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_unreachable = itertools.count()


class RemoteGeneration:
    """The remote data's generation: its quad count, probed at most every `check_seconds`, and the
    number of `max_age_seconds` periods elapsed since it was made. A change of the count shows within check_seconds of
    the change (plus one probe); an edit that keeps the count (a literal replaced by another) within
    max_age_seconds. A failed probe gives a generation never seen before, so nothing cached is trusted."""

    def __init__(self, probe, check_seconds: float = 5.0, max_age_seconds: float = 300.0):
        self.probe, self.check, self.max_age = probe, check_seconds, max_age_seconds
        self.value, self.checked, self.born = "", float("-inf"), time.monotonic()
        self.lock = threading.Lock()

    def current(self) -> str:
        """The generation, probing the server first when the last probe is older than check_seconds.
        A reader arriving during another's probe gets the value before it (a probe is one query)."""
        now = time.monotonic()
        if now - self.checked >= self.check and self.lock.acquire(blocking=False):
            try:
                try:
                    count = str(self.probe())
                except (RemoteError, httpx.HTTPError, SyntaxError):
                    count = f"unreachable-{next(_unreachable)}"
                self.value, self.checked = count, time.monotonic()
            finally:
                self.lock.release()
        period = int((now - self.born) // self.max_age) if self.max_age > 0 else 0
        return f"{self.value}.{period}"


class RemoteStore:
    """A kg.store.seam.GraphStore over HTTP. otkg loads it (`otkg load`) but never commits to it while
    serving; what it holds is read from the build's VoID, and its generation from the server."""

    can_commit = False
    is_remote = True

    def __init__(
        self,
        query_url: str,
        store_url: str | None = None,
        timeout: float = 60.0,
        user: str | None = None,
        password: str | None = None,
        check_seconds: float = 5.0,
        max_age_seconds: float = 300.0,
    ):
        self.query_url, self.store_url, self.timeout = query_url, store_url, timeout
        self._generation = RemoteGeneration(self._count, check_seconds, max_age_seconds)
        # Digest auth for loading: Virtuoso's /sparql-graph-crud-auth asks for it.
        auth = httpx.DigestAuth(user, password or "") if user else None
        self.http = httpx.Client(timeout=timeout, auth=auth)

    @property
    def generation(self) -> str:
        """Changes when the server's data does (RemoteGeneration states how soon)."""
        return self._generation.current()

    def _count(self) -> int:
        rows = self.query(PROBE, timeout=min(self.timeout, 5.0))
        if not isinstance(rows, ox.QuerySolutions):
            raise RemoteError("the quad count came back as no SELECT answer")
        n = next(iter(rows))["n"]
        return int(n.value)

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
        timeout: float | None = None,
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
            timeout=timeout or self.timeout,
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
