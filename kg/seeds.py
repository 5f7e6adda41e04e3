"""Source documents: the pinned plain-text seeds that every quote is located in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).parent / "seeds"


class SeedError(ValueError):
    """A source document is missing or does not match its pinned SHA-256."""


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    sha256: str
    text: str


def load_document(doc_id: str, file: str, sha256: str, seeds_dir: Path = SEEDS_DIR) -> Document:
    """Read a seed as bytes, check its pin, and decode it without newline translation."""
    path = seeds_dir / file
    if not path.is_file():
        raise SeedError(f"source document {doc_id}: file {path} not found")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SeedError(f"source document {doc_id}: {file} has SHA-256 {digest}, pinned {sha256}")
    # Offsets count code points of exactly these bytes, so no newline or BOM handling here.
    return Document(doc_id, file, sha256, data.decode("utf-8"))
