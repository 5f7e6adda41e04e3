"""Ranked text search over labels, definitions, quoted passages and the text around quotes.

An in-memory SQLite FTS5 table (standard library) holds one row per entity. The porter stemmer lets
"fall" find "falls"; `word*` finds words beginning so; "words in quotes" must stand together. Hits
rank in tiers: a label equal to the whole query, then the query's words side by side (the phrase),
then an intervention, care cluster, MOHO tool or challenge area whose label holds every word, then
anything but a package's cells (entries that restate those names: 'moderate: responsibilities and
routines'), then the cells; within a tier by bm25, where a word in a label counts most and one near
a quote least.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from . import search_context
from .search_query import Vocabulary, match_all, match_phrase, parse

FIELDS = ("label", "definition", "quote", "context")  # the table's columns, in this order
WEIGHTS = (10.0, 4.0, 2.0, 0.5)  # bm25 weight of each column: a label match beats a quote match
MARK, END = "\x02", "\x03"  # snippet() wraps matched words in these; a column without them did not match
SNIPPET_ORDER = (1, 2, 3, 0)  # a snippet from the definition, else a quote, its passage, the label
JOIN = "\n · \n"  # between an entity's texts of one field: "·" is no word to FTS5, and shows in a snippet
CREATE = f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(FIELDS)}, tokenize='porter unicode61')"
INSERT = f"INSERT INTO docs(rowid, {', '.join(FIELDS)}) VALUES (?, {', '.join('?' * len(FIELDS))})"
RANKED = f"SELECT rowid, -bm25(docs, {', '.join(map(str, WEIGHTS))}) FROM docs WHERE docs MATCH ?"
MATCHING = "SELECT rowid FROM docs WHERE docs MATCH ?"
ALL_TEXT = f"SELECT {', '.join(FIELDS)} FROM docs"
SNIPPETS = (
    "SELECT rowid, "
    + ", ".join(f"snippet(docs, {c}, '{MARK}', '{END}', '…', 32)" for c in SNIPPET_ORDER)
    + " FROM docs WHERE docs MATCH ?"
)
DOCS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX otkg: <https://w3id.org/otkg/ontology#>
SELECT ?entity ?field ?text ?file ?start WHERE {
  { ?entity rdfs:label ?text BIND("label" AS ?field) }
  UNION { ?entity skos:altLabel ?text BIND("altLabel" AS ?field) }
  UNION { ?entity skos:definition ?text BIND("definition" AS ?field) }
  # kinds that rank first by name, and package cells, which rank last
  UNION { VALUES ?kind { otkg:Intervention otkg:CareCluster otkg:MOHOTool otkg:OutcomeMeasure otkg:ChallengeArea }
          ?entity a ?kind BIND("named" AS ?field) BIND(STR(?kind) AS ?text) }
  UNION { ?entity a otkg:PackageElement ; otkg:inColumn ?column BIND("cell" AS ?field) BIND("" AS ?text) }
  UNION { ?entity otkg:text ?text BIND("definition" AS ?field) }
  UNION { ?claim oa:hasBody ?entity ; oa:hasTarget ?t . ?t oa:hasSelector/oa:exact ?text
          BIND("quote" AS ?field)
          # where the quote stands, to index the passage around it (kg.query.search_context)
          OPTIONAL { ?t oa:hasSource/otkg:fileName ?file ; oa:hasSelector/oa:start ?start } }
  FILTER STRSTARTS(STR(?entity), "https://w3id.org/otkg/id/")
}"""


PROGRESS_STEPS = 1000  # SQLite virtual-machine steps between deadline checks (well under a millisecond)


class SearchTimedOut(Exception):
    """The search ran past its deadline and was stopped (SQLite's progress handler interrupted it)."""


@dataclass(frozen=True)
class Hit:
    entity: str
    score: float
    label: str
    snippet: str


class SearchIndex:
    def __init__(self, rows: list[tuple[str, str, str]]):
        """rows: (entity, field, text), field one of FIELDS or "altLabel" (searched as a label), or
        "named" (a kind ranked first by name) or "cell" (a package's cell, ranked last), not searched."""
        texts: dict[str, dict[str, set[str]]] = defaultdict(lambda: {f: set() for f in FIELDS})
        names: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"label": [], "altLabel": []})
        self.named = {e for e, field, _ in rows if field == "named"}
        self.cells = {e for e, field, _ in rows if field == "cell"}
        rows = [r for r in rows if r[1] not in ("named", "cell")]
        for entity, field, text in rows:
            if field in names[entity]:
                names[entity][field].append(text)
            texts[entity]["label" if field == "altLabel" else field].add(text)
        # an entity is named by its rdfs:label, else by an alternative label
        self.labels = {
            e: min(n["label"] or n["altLabel"]) for e, n in names.items() if n["label"] or n["altLabel"]
        }
        self.exact: dict[str, set[str]] = defaultdict(set)  # a label as lowercase words -> its entities
        for entity, by_field in texts.items():
            for label in by_field["label"]:
                self.exact[parse(label).normal].add(entity)
        self.entities = sorted(texts)  # an entity's rowid in the table is its position here
        self.size = len(self.entities)
        # one connection shared by the server's threads, each use under the lock
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(CREATE)
        self._db.executemany(
            INSERT,
            [(i, *(JOIN.join(sorted(texts[e][f])) for f in FIELDS)) for i, e in enumerate(self.entities)],
        )

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Built at the first prefix search, from the table: it takes as long as the index itself."""
        with self._lock:
            return Vocabulary(t for row in self._db.execute(ALL_TEXT) for t in row)

    @classmethod
    def from_store(cls, store, documents: dict[str, str] | None = None) -> SearchIndex:
        """Index the store's texts; `documents` (file name -> text) defaults to the seeds."""
        rows, quotes = set(), set()
        for r in store.query(DOCS_QUERY):
            rows.add((r["entity"].value, r["field"].value, r["text"].value))
            if r["start"] is not None:
                quotes.add((r["entity"].value, r["file"].value, int(r["start"].value), r["text"].value))
        return cls(sorted(rows) + search_context.rows(sorted(quotes), documents))

    def search(self, query: str, limit: int = 20, deadline: float | None = None) -> list[Hit]:
        """Entities holding every word (and every quoted phrase) of the query, best first. With a
        `deadline` (seconds), raises SearchTimedOut past it: waiting for the index counts too."""
        parsed = parse(query)
        if not parsed or limit < 1:
            return []
        ends = None if deadline is None else time.monotonic() + deadline
        vocabulary = self.vocabulary if any(prefix for _, prefix in parsed.terms) else None
        everything, phrase = match_all(parsed, vocabulary), match_phrase(parsed)
        exact = self.exact.get(parsed.normal, set())
        if not self._lock.acquire(timeout=-1 if ends is None else max(0.0, ends - time.monotonic())):
            raise SearchTimedOut()
        try:
            if ends is not None:  # SQLite calls this as it runs; non-zero interrupts the statement
                self._db.set_progress_handler(lambda: time.monotonic() > ends, PROGRESS_STEPS)
            found = self._db.execute(RANKED, (everything,)).fetchall()
            together = {row for (row,) in self._db.execute(MATCHING, (phrase,))} if phrase else set()
            by_name = {row for (row,) in self._db.execute(MATCHING, (f"label : ({everything})",))}
            # a tier's step exceeds any bm25 score, so scores fall in the same order as the ranking
            step = 1.0 + max((s for _, s in found), default=0.0)
            tier = {row: self._tier(row, exact, together, by_name) for row, _ in found}
            ranked = sorted(
                ((tier[row] * step + s, row) for row, s in found),
                key=lambda sr: (-sr[0], self.entities[sr[1]]),
            )[:limit]
            snippets = self._snippets(everything, [row for _, row in ranked])
        except sqlite3.OperationalError as exc:
            if ends is not None and "interrupted" in str(exc):
                raise SearchTimedOut() from None
            raise
        finally:
            self._db.set_progress_handler(None, 0)
            self._lock.release()
        return [
            Hit(e, round(score, 4), self.labels.get(e, ""), snippets[row])
            for score, row in ranked
            for e in [self.entities[row]]
        ]

    def _tier(self, row: int, exact: set[str], together: set[int], by_name: set[int]) -> int:
        """The row's tier, higher first: exact label, phrase, a named kind's label, not a cell."""
        entity = self.entities[row]
        return (
            8 * (entity in exact)
            + 4 * (row in together)
            + 2 * (entity in self.named and row in by_name)
            + (entity not in self.cells)
        )

    def _snippets(self, expression: str, rows: list[int]) -> dict[int, str]:
        """For each row, the first of its definition, quotes, passage, label that holds a match."""
        if not rows:
            return {}
        query = SNIPPETS + f" AND rowid IN ({', '.join('?' * len(rows))})"
        out = {}
        for row, *candidates in self._db.execute(query, (expression, *rows)):
            best = next((c for c in candidates if c and MARK in c), "")
            out[row] = " ".join(best.replace(MARK, "").replace(END, "").split())
        return out
