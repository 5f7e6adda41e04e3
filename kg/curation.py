"""Read the curation tables (kg/curation/*.yaml) into plain records, checking their shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CURATION_DIR = Path(__file__).parent / "curation"
RESERVED = {"id", "a", "quote", "within", "cites", "curated", "source", "status"}
ORIGINS = ("quote", "curated", "source")
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


def _record(raw: dict, file: str, document: str | None, graph: str) -> Record:
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise CurationError(f"{file}: a record has no id: {str(raw)[:80]}")
    where = f"{file}: record {rid!r}"
    origins = [k for k in ORIGINS if k in raw]
    if len(origins) != 1:
        raise CurationError(f"{where}: needs exactly one of quote, curated, source (has {origins})")
    if "quote" in raw and document is None:
        raise CurationError(f"{where}: has a quote but the file names no document")
    if "source" in raw and raw.get("status") != "verified":
        raise CurationError(f"{where}: an external fact needs status: verified")
    if "a" not in raw:
        raise CurationError(f"{where}: has no class ('a')")
    origin = {k: raw[k] for k in ("quote", "within", "curated", "source", "status") if k in raw}
    props = {k: v for k, v in raw.items() if k not in RESERVED}
    return Record(file, document, graph, rid, [str(t) for t in _as_list(raw["a"])], origin,
                  [str(c) for c in _as_list(raw.get("cites", []))], props)


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
