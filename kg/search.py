"""Ranked text search over labels, definitions and quoted passages, held in memory."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

TOKEN = re.compile(r"[a-z0-9]+")
# Where a word is found says how much it counts: a label match beats a quote match.
WEIGHTS = {"label": 3.0, "definition": 2.0, "quote": 1.0}
EXACT_LABEL_BONUS = 10.0  # a label equal to the whole query (e.g. an intervention's name) ranks first
DOCS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX otkg: <https://w3id.org/otkg/ontology#>
SELECT ?entity ?field ?text WHERE {
  { ?entity rdfs:label ?text BIND("label" AS ?field) }
  UNION { ?entity skos:altLabel ?text BIND("label" AS ?field) }
  UNION { ?entity skos:definition ?text BIND("definition" AS ?field) }
  UNION { ?entity otkg:text ?text BIND("definition" AS ?field) }
  UNION { ?claim oa:hasBody ?entity ; oa:hasTarget/oa:hasSelector/oa:exact ?text BIND("quote" AS ?field) }
  FILTER STRSTARTS(STR(?entity), "https://w3id.org/otkg/id/")
}"""


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Hit:
    entity: str
    score: float
    label: str
    snippet: str


class SearchIndex:
    def __init__(self, rows: list[tuple[str, str, str]]):
        self.postings: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.labels: dict[str, str] = {}
        self.texts: dict[str, list[str]] = defaultdict(list)
        self.exact: dict[str, set[str]] = defaultdict(set)  # each entity's labels as word sequences
        for entity, field, text in rows:
            if field == "label":
                self.labels.setdefault(entity, text)
                self.exact[entity].add(" ".join(tokens(text)))
            self.texts[entity].append(text)
            for tok, n in Counter(tokens(text)).items():
                self.postings[tok][entity] += WEIGHTS[field] * (1 + math.log(n))
        self.size = len(self.texts)

    @classmethod
    def from_store(cls, store) -> SearchIndex:
        rows = [(r["entity"].value, r["field"].value, r["text"].value) for r in store.query(DOCS_QUERY)]
        return cls(sorted(rows))

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Entities ranked by tf-idf over the query's words; every word must occur (AND)."""
        words = list(dict.fromkeys(tokens(query)))
        if not words:
            return []
        scores: dict[str, float] | None = None
        for w in words:
            post = self.postings.get(w, {})
            idf = math.log(1 + self.size / (1 + len(post)))
            found = {e: s * idf for e, s in post.items()}
            scores = found if scores is None else {e: scores[e] + found[e] for e in scores if e in found}
        phrase = " ".join(words)
        scores = {e: s + (EXACT_LABEL_BONUS if phrase in self.exact.get(e, ()) else 0.0) for e, s in scores.items()}
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [Hit(e, round(s, 4), self.labels.get(e, ""), self._snippet(e, words)) for e, s in ranked]

    def _snippet(self, entity: str, words: list[str]) -> str:
        for text in self.texts[entity]:
            low = text.lower()
            i = min((low.find(w) for w in words if w in low), default=-1)
            if i >= 0:
                start = max(0, i - 60)
                return ("…" if start else "") + " ".join(text[start:i + 140].split())
        return ""
