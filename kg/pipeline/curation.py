"""Read the curation tables (kg/curation/*.yaml) into plain records, checking their shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CURATION_DIR = Path(__file__).parent.parent / "curation"
ORIGINS = ("quote", "curated", "source")
# The keys that say where a record, value or typing comes from (with its locating and status keys).
ORIGIN_KEYS = ("quote", "within", "curated", "source", "status", "strength")
RESERVED = {"id", "a", "cites", *ORIGIN_KEYS}
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CurationError(ValueError):
    """A curation record that is malformed; the message names its file and id."""


@dataclass
class Record:
    file: str
    document: str | None
    graph: str
    id: str
    types: list[str]
    origin: dict  # one of quote/curated/source (+ within, status)
    cites: list[str]
    props: dict = field(default_factory=dict)
    type_origins: dict = field(default_factory=dict)  # class name -> its own quote/curated/source

    def where(self) -> str:
        return f"{self.file}: record {self.id!r}"


@dataclass
class Table:
    file: str
    document: str | None
    graph: str
    records: list[Record]
    documents: list[dict] = field(default_factory=list)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _types(value, where: str) -> tuple[list[str], dict[str, dict]]:
    """The class names of `a`. An item {class: C, quote|curated|source: ...} is a typing with its
    own evidence (e.g. a curators' reading that the quoted record's thing is a C)."""
    names, origins = [], {}
    for item in _as_list(value):
        if not isinstance(item, dict):
            names.append(str(item))
            continue
        found = [k for k in ORIGINS if k in item]
        extra = set(item) - {"class", *ORIGIN_KEYS}
        if "class" not in item or extra or len(found) != 1:
            raise CurationError(
                f"{where}: a class item of 'a' needs class and exactly one of quote, curated, source: {item}"
            )
        if "source" in item and item.get("status") != "verified":
            raise CurationError(f"{where}: an external fact needs status: verified")
        names.append(str(item["class"]))
        origins[str(item["class"])] = {k: item[k] for k in ORIGIN_KEYS if k in item}
    return names, origins


def _record(raw: dict, file: str, document: str | None, graph: str) -> Record:
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise CurationError(f"{file}: a record has no id: {str(raw)[:80]}")
    where = f"{file}: record {rid!r}"
    origins = [k for k in ORIGINS if k in raw]
    # one origin, or a quote with the curators' reading of it (a curated claim)
    if len(origins) != 1 and origins != ["quote", "curated"]:
        raise CurationError(
            f"{where}: needs exactly one of quote, curated, source, or a quote with curated (has {origins})"
        )
    if "quote" in raw and document is None:
        raise CurationError(f"{where}: has a quote but the file names no document")
    if "source" in raw and raw.get("status") != "verified":
        raise CurationError(f"{where}: an external fact needs status: verified")
    if "a" not in raw:
        raise CurationError(f"{where}: has no class ('a')")
    origin = {k: raw[k] for k in ORIGIN_KEYS if k in raw}
    props = {k: v for k, v in raw.items() if k not in RESERVED}
    types, type_origins = _types(raw["a"], where)
    return Record(
        file,
        document,
        graph,
        rid,
        types,
        origin,
        [str(c) for c in _as_list(raw.get("cites", []))],
        props,
        type_origins,
    )


def load_table(path: Path) -> Table:
    """Parse one curation file; duplicate ids inside a file are an error."""
    # libyaml's safe loader when present: same result, ~9x faster (serve reads every table to check build/).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    document = data.get("document")
    graph = data.get("graph", document or path.stem)
    records, seen = [], set()
    for raw in data.get("records", []):
        rec = _record(raw, path.name, document, graph)
        if rec.id in seen:
            raise CurationError(f"{path.name}: record id {rec.id!r} used twice in this file")
        seen.add(rec.id)
        records.append(rec)
    return Table(path.name, document, graph, records, data.get("documents", []))


def load_all(directory: Path = CURATION_DIR) -> list[Table]:
    """Every curation table, in file-name order so builds are deterministic."""
    return [load_table(p) for p in sorted(directory.glob("*.yaml"))]
