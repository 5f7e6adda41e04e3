"""The build: ontology + curation tables + source documents -> validated graph files in build/.

`otkg build` (or `python -m otkg.kg.pipeline.build`). build() is the one way a build folder is written (the CLI,
the app, the bench and the tests' fixtures all use it): a bad quote, an unknown term, a failed SHACL
shape or a QC violation stops it with a message naming the record, and build/ is left as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal

from .. import __version__
from ..namespaces import GRAPH, PREFIXES, STATEMENT
from ..oxterms import written
from ..paths import BUILD_DIR
from ..seeds import SEEDS_DIR, Document, SeedError, load_document
from ..terms import ONTOLOGY_DIR, TermError, Terms, load_ontology, ontology_files
from . import ontology_release
from .assemble import Assembler, AssemblyError
from .curation import CURATION_DIR, CurationError, Table, load_all
from .entail import superclasses
from .locate import QuoteError
from .release import FILES, describe, inputs_digest, read_release, release_json, stamp
from .validate import SHAPES_FILE, Violation, qc, shacl

ONTOLOGY_GRAPH = GRAPH["ontology"]
STATEMENT_NS = str(STATEMENT)
BuildError = (AssemblyError, CurationError, SeedError, QuoteError, TermError)


class ValidationFailed(Exception):
    def __init__(self, violations: list[Violation]):
        self.violations = violations
        shown = "\n  ".join(str(v) for v in violations[:20])
        super().__init__(f"{len(violations)} violation(s):\n  {shown}")


@dataclass
class Built:
    """Everything one build produced, before it is written."""

    assembler: Assembler
    ontology: Graph
    documents: dict[str, Document]
    digest: str

    _nquads: str | None = field(default=None, repr=False)
    validated: bool = field(default=False, repr=False)  # set by validate() when SHACL and QC pass

    def nquads(self) -> str:
        """Data and ontology as N-Quads, one named graph per source, lines sorted (made once:
        validation and writing both need it). The ontology's blank nodes (OWL lists and class
        expressions) become Skolem IRIs here, so a built graph holds no blank node (stores rename
        them on every load); build/otkg.owl.ttl keeps them blank, as OWL 2 DL reads them."""
        if self._nquads is None:
            self._nquads = to_nquads(self.quads())
        return self._nquads

    def quads(self) -> set[tuple]:
        """Data and ontology as rdflib quads: every named graph a store of this build holds."""
        quads = set(self.assembler.quads)
        quads.update((s, p, o, ONTOLOGY_GRAPH) for s, p, o in skolemized(self.ontology))
        return quads

    def store(self) -> ox.Store:
        """An in-memory pyoxigraph store holding the whole build."""
        st = ox.Store()
        st.load(self.nquads().encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        return st


def skolemized(graph: Graph) -> Graph:
    """The graph with each blank node replaced by a Skolem IRI made from its label (the ontology's
    labels are drawn from its content, so the IRIs are the same in every build)."""
    return graph.skolemize(authority="https://w3id.org", basepath="/otkg/.well-known/genid/")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def to_nquads(quads) -> str:
    """Sorted N-Quads text of (s, p, o, g) rdflib quads: the same input gives the same bytes."""
    return "".join(sorted({f"{s.n3()} {p.n3()} {_nt(o)} {g.n3()} .\n" for s, p, o, g in quads}))


def _nt(term) -> str:
    """N-Triples form of a term (rdflib's n3() writes long literals with Turtle's triple quotes)."""
    if not isinstance(term, Literal):
        return term.n3()
    text = '"' + str(term).translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


def source_documents(tables: list[Table], seeds_dir: Path) -> dict[str, Document]:
    """Load every record typed SourceDocument, checking its file against its SHA-256 pin."""
    docs = {}
    for rec in _document_records(tables):
        docs[rec.id] = load_document(rec.id, rec.props["fileName"], rec.props["sha256"], seeds_dir)
    return docs


def _document_records(tables: list[Table]) -> list:
    """The records typed SourceDocument that name their file: the seeds a build reads."""
    return [
        rec
        for table in tables
        for rec in table.records
        if "SourceDocument" in rec.types and "fileName" in rec.props
    ]


def input_files(tables: list[Table], curation_dir: Path, seeds_dir: Path, ontology_dir: Path) -> list[Path]:
    """Every file a build reads (ontology, curation tables, the seeds they name, shapes); their
    digest names the release."""
    seeds = {rec.id: rec.props["fileName"] for rec in _document_records(tables)}
    return (
        ontology_files(ontology_dir)
        + sorted(curation_dir.glob("*.yaml"))
        + [seeds_dir / name for name in seeds.values()]
        + [SHAPES_FILE]
    )


def current_digest() -> str:
    """The inputs digest a build would stamp now, from reading the tables only (~0.2 s; a build
    with SHACL and QC takes seconds). The folders are looked up when called, so tests can point
    them at copies."""
    tables = load_all(CURATION_DIR)
    return inputs_digest(input_files(tables, CURATION_DIR, SEEDS_DIR, ONTOLOGY_DIR))


# In out/: the input folders' file listing (path, size, mtime) when out/ was last found current,
# with the digest it was found current for. While the listing is unchanged the digest is too, so
# `otkg serve` skips reading the tables (0.18 s of its start; issue 22, item 7).
INPUTS_SEEN = ".inputs-seen.json"


def _inputs_listing() -> list[list]:
    """Every file under the input folders with its size and mtime: an edit, a new file or a removed
    one changes it (a superset of input_files, which needs the tables read to be known)."""
    files = [SHAPES_FILE]
    for folder in (CURATION_DIR, SEEDS_DIR, ONTOLOGY_DIR):
        files += sorted(p for p in folder.rglob("*") if p.is_file())
    return [[str(p), (st := p.stat()).st_size, st.st_mtime_ns] for p in files]


def _note_current(out: Path, seen: dict) -> None:
    """Write INPUTS_SEEN (best effort: a read-only folder just checks in full every time)."""
    with contextlib.suppress(OSError):
        tmp = out / f"{INPUTS_SEEN}.tmp"
        tmp.write_text(json.dumps(seen), encoding="utf-8")
        tmp.replace(out / INPUTS_SEEN)


def is_current(out: Path | None = None) -> bool:
    """Whether out/ (default build/) holds every file of a build of this version from the current
    inputs, so that it can be served as it is."""
    out = out or BUILD_DIR
    if not all((out / name).is_file() for name in FILES):
        return False
    try:
        info = read_release(out)
        if info.get("version") != __version__:
            return False
        seen = {"inputsDigest": info.get("inputsDigest"), "files": _inputs_listing()}
        with contextlib.suppress(OSError, ValueError):
            if json.loads((out / INPUTS_SEEN).read_text(encoding="utf-8")) == seen:
                return True
        if info.get("inputsDigest") != current_digest():
            return False
        _note_current(out, seen)
        return True
    except Exception:  # noqa: BLE001 - whatever stops the check (bad YAML, a missing seed): rebuild, which reports it
        return False


def ensure_built(out: Path | None = None, needs: tuple[str, ...] = FILES) -> Path:
    """out/ (default build/) holding the files `needs` names, built first (validated) if one is
    missing. A caller that reads only some files names them: a folder made for a synthetic graph
    (bench) holds only otkg.nq and release.json, and must not be rebuilt as the real graph."""
    out = out or BUILD_DIR
    if not all((out / name).is_file() for name in needs):
        build(out)
    return out


def build(out: Path | None = None, built: Built | None = None) -> list[Path]:
    """Assemble the inputs (unless `built` is given), validate them unless that was done already,
    and write every file to out/ (default build/) atomically; returns the paths written."""
    built = built or assemble()
    if not built.validated:
        validate(built)
    return _write(built, out or BUILD_DIR)


def assemble(
    curation_dir: Path = CURATION_DIR, seeds_dir: Path = SEEDS_DIR, ontology_dir: Path = ONTOLOGY_DIR
) -> Built:
    """Read all inputs and assemble the graph (not yet validated or written)."""
    ontology = load_ontology(ontology_dir)
    tables = load_all(curation_dir)
    docs = source_documents(tables, seeds_dir)
    known = {rec.id for t in tables for rec in t.records}
    asm = Assembler(Terms(ontology), docs, known)
    for table in tables:
        asm.add_table(table)
    asm.entail_types(superclasses(ontology))
    digest = inputs_digest(input_files(tables, curation_dir, seeds_dir, ontology_dir))
    return Built(asm, stamp(ontology, digest), docs, digest)


def validate(built: Built) -> None:
    """SHACL over data + ontology, then every QC query; raise ValidationFailed on any finding."""
    data = Graph()
    for s, p, o, _ in built.assembler.quads:
        if not str(s).startswith(STATEMENT_NS):  # statements: see the QC queries
            data.add((s, p, o))
    found = shacl(data, built.ontology) + qc(built.store())
    if found:
        raise ValidationFailed(found)
    built.validated = True


def _stage(path: Path, text: str) -> str:
    """Write text beside path under a temporary name; returns that name."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _turtle(graph: Graph) -> str:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph.serialize(format="turtle")


def _turtle_from_nquads(nquads: str) -> str:
    """All quads as one Turtle graph; pyoxigraph writes it ~20x faster than rdflib, in sorted order."""
    triples = sorted(
        {
            (q.subject, q.predicate, q.object)
            for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        },
        key=str,
    )
    return written(
        ox.serialize(
            [ox.Triple(*t) for t in triples],
            format=ox.RdfFormat.TURTLE,
            prefixes={k: str(v) for k, v in PREFIXES.items()},
        )
    ).decode("utf-8")


def _write(built: Built, out: Path) -> list[Path]:
    """Write the ontology (full and base, Turtle and RDF/XML), the whole graph (Turtle, N-Quads),
    the VoID description and release.json. Unvalidated: build() is the way in.

    Every file is written under a temporary name first, then renamed into place with release.json
    last: a failure before the renames leaves out/ as it was, and a reader that sees the new
    release.json (what is_current and the app read first) sees every new file."""
    out.mkdir(parents=True, exist_ok=True)
    nq = built.nquads()
    void = describe(built.quads(), built.digest, sorted(built.documents))
    base = ontology_release.base(built.ontology)
    files = {
        "otkg.owl.ttl": _turtle(built.ontology),
        "otkg.owl": ontology_release.rdfxml(built.ontology),
        "otkg-base.owl.ttl": _turtle(base),
        "otkg-base.owl": ontology_release.rdfxml(base),
        "otkg.ttl": _turtle_from_nquads(nq),
        "otkg.nq": nq,
        "void.ttl": _turtle(void),
        "release.json": release_json(built.digest),
    }
    staged: list[tuple[str, Path]] = []
    try:
        for name in FILES:  # release.json last
            staged.append((_stage(out / name, files[name]), out / name))
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otkg build", description=__doc__)
    parser.add_argument("--check", action="store_true", help="assemble only; validate and write nothing")
    parser.add_argument("--out", type=Path, default=BUILD_DIR, help="output folder (default build/)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    try:
        built = assemble()
        if args.check:
            print(f"assembled {len(built.assembler.quads)} quads in {time.perf_counter() - t0:.2f} s")
            return 0
        paths = build(args.out, built)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except ValidationFailed as exc:
        print(f"build failed validation: {exc}", file=sys.stderr)
        return 1
    print(
        f"built {len(built.assembler.quads)} quads from {len(built.documents)} documents "
        f"in {time.perf_counter() - t0:.2f} s -> {', '.join(p.name for p in paths)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
