"""The shared vocabulary a package sheet's words resolve to, read from the graph by label.

Used by the sheet import (kg.pipeline.sheet_grammar) to turn words into IRIs and by the export
(kg.pipeline.sheet_export) to turn IRIs back into words; nothing is hard-coded that a label finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from .sheet_layout import COLUMNS

PREFIXES = """PREFIX otkg: <https://w3id.org/otkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# Word lists of the grammar: the otkg class whose labels and alternative labels are the words.
NAMED = {
    "area": "ChallengeArea",
    "severity": "ChallengeSeverity",
    "priority": "AssessmentPriority",
    "beneficiary": "Beneficiary",
    "tool": "MOHOTool",
}
NAMES = (
    PREFIXES
    + """SELECT ?class ?s ?name ?alt WHERE {
  VALUES ?class { %s }
  ?s a ?class .
  { ?s rdfs:label ?name BIND(false AS ?alt) } UNION { ?s skos:altLabel ?name BIND(true AS ?alt) }
}"""
)
# The built graph types each instance with its superclasses too (kg.pipeline.entail), so intervention 4,
# a composite intervention in its source, is found as an otkg:Intervention.
NUMBERED = (
    PREFIXES
    + """SELECT ?kind ?n ?s (MIN(STR(?label)) AS ?name) WHERE {
  { ?s a otkg:Intervention ; otkg:interventionNumber ?n BIND("intervention" AS ?kind) }
  UNION { ?s a otkg:SkillLevel ; otkg:levelNumber ?n BIND("level" AS ?kind) }
  UNION { ?s a otkg:CareCluster ; otkg:clusterCode ?n BIND("cluster" AS ?kind) }
  UNION { ?s a otkg:PackageColumn ; otkg:sheetColumnPosition ?n BIND("column" AS ?kind) }
  OPTIONAL { ?s rdfs:label ?label }
} GROUP BY ?kind ?n ?s"""
)
LINKED = (
    PREFIXES
    + """SELECT ?kind ?s ?o WHERE {
  { ?s a otkg:Outcome ; otkg:concernsChallenge ?o BIND("outcome" AS ?kind) }
  UNION { ?s a otkg:IndicativeCarePackage ; otkg:forCluster ?o BIND("national" AS ?kind) }
  UNION { ?s a otkg:IndicativeCarePackage FILTER NOT EXISTS { ?s otkg:forCluster ?c }
          OPTIONAL { ?s otkg:aimsAt ?o } BIND("indicative" AS ?kind) }
}"""
)


def word(text: str) -> str:
    """How words are compared: case-insensitive, white space collapsed."""
    return " ".join(text.split()).lower()


def _numbered(n: int, name: str) -> str:
    """'4. Re-motivation process' from 4 and 're-motivation process'; '4' without a name."""
    name = re.sub(r"[A-Za-z]", lambda m: m.group().upper(), " ".join(name.split()), count=1)
    return f"{n}. {name}" if name else str(n)


def _rows(store, query: str) -> list:
    return list(store.query(query))


@dataclass
class Vocabulary:
    words: dict[str, dict[str, URIRef]] = field(default_factory=dict)  # list -> word -> IRI
    shown: dict[URIRef, str] = field(default_factory=dict)  # IRI -> the word an export writes
    numbers: dict[str, dict[int, URIRef]] = field(default_factory=dict)  # kind -> number -> IRI
    names: dict[str, dict[int, str]] = field(default_factory=dict)  # kind -> number -> its label
    columns: dict[str, URIRef] = field(default_factory=dict)  # column key -> column IRI
    outcomes: dict[URIRef, URIRef] = field(default_factory=dict)  # challenge area -> its outcome
    overall: URIRef | None = None  # the outcome the indicative packages as a whole aim at
    national: dict[URIRef, URIRef] = field(default_factory=dict)  # cluster -> its national package
    indicative: URIRef | None = None  # the indicative packages as a whole

    @classmethod
    def load(cls, store) -> Vocabulary:
        """Read the vocabulary from a store whose default graph is the union (kg.store.seam)."""
        v = cls()
        v._names(store)
        for kind, n, s, name in _rows(store, NUMBERED):
            v.numbers.setdefault(kind.value, {})[int(n.value)] = URIRef(s.value)
            if name is not None:
                v.names.setdefault(kind.value, {})[int(n.value)] = name.value
        for pos, (key, _) in enumerate(COLUMNS, start=1):
            if pos in v.numbers.get("column", {}):
                v.columns[key] = v.numbers["column"][pos]
        for kind, s, o in _rows(store, LINKED):
            if kind.value == "outcome":
                v.outcomes[URIRef(o.value)] = URIRef(s.value)
            elif kind.value == "national":
                v.national[URIRef(o.value)] = URIRef(s.value)
            else:
                v.indicative = URIRef(s.value)
                v.overall = URIRef(o.value) if o is not None else v.overall
        return v

    def _names(self, store) -> None:
        classes = " ".join(f"otkg:{c}" for c in NAMED.values())
        list_of = {c: k for k, c in NAMED.items()}
        candidates: dict[URIRef, list[tuple[bool, str, str]]] = {}  # (alternative?, kind, name)
        for klass, s, name, alt in _rows(store, NAMES % classes):
            kind, iri = list_of[klass.value.rsplit("#", 1)[1]], URIRef(s.value)
            self.words.setdefault(kind, {})[word(name.value)] = iri
            candidates.setdefault(iri, []).append((alt.value == "true", kind, name.value))
        for iri, names in candidates.items():
            kind = names[0][1]
            if kind in ("tool", "beneficiary"):  # the short name a sheet uses: OCAIRS, organisation
                self.shown[iri] = min((n for _, _, n in names), key=lambda n: (len(n), n))
            else:
                self.shown[iri] = next(n for alt, _, n in sorted(names) if not alt)

    def lookup(self, kind: str, text: str) -> URIRef | None:
        return self.words.get(kind, {}).get(word(text))

    def numbered(self, kind: str) -> list[str]:
        """A numbered list as a sheet's drop-down shows it: '4. Re-motivation process', in order."""
        return [self.numbered_name(kind, n) for n in sorted(self.numbers.get(kind, {}))]

    def numbered_name(self, kind: str, n: int) -> str:
        """'4. Re-motivation process': the number and its label, as the drop-down lists show it."""
        return _numbered(n, self.names.get(kind, {}).get(n, ""))

    def allowed(self, kind: str) -> list[str]:
        """The words a sheet may use for one list, for messages and the template's Instructions."""
        return sorted({self.shown[i] for i in self.words.get(kind, {}).values()}, key=str.lower)
