"""The `otkg import-package`, `otkg export-package` and `otkg template` commands (kg.cli adds them).

They work on the embedded disk store that `otkg serve` serves (build/store, or $OTKG_STORE_DIR):
an import is committed there all-or-nothing with kg.store.seam.commit_graph, as an upload is.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..store.faults import CommitFailed, CommitUnconfirmed
from ..store.seam import ReleaseStore, commit_graph, open_release
from . import pipeline as build_mod
from .release import read_release
from .sheet_export import ExportError, export_package, template
from .sheet_import import import_sheet
from .sheet_read import CSV_TYPE, MAX_FILE_BYTES, XLSX_TYPE, Problem, SheetError
from .upload import UploadError


def add_parsers(sub) -> None:
    imp = sub.add_parser(
        "import-package",
        help="import a Trust's package sheet (XLSX or CSV) into the disk store as a local package graph",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--trust", required=True, help="the Trust's name, as cell B1 gives it")
    imp.add_argument("--cluster", required=True, help="the care cluster code, as cell B2 gives it")
    imp.add_argument("--name", help="the graph name (slug); defaults from the trust's name")
    exp = sub.add_parser("export-package", help="write a care package (national or local) as an XLSX sheet")
    exp.add_argument("package", help="the package IRI, e.g. https://w3id.org/otkg/id/ot-package-cluster-2")
    exp.add_argument("--out", type=Path, required=True)
    tpl = sub.add_parser("template", help="write the blank care package sheet template (XLSX)")
    tpl.add_argument("--out", type=Path, required=True)


def store_root() -> Path:
    """Where `otkg serve` keeps its disk store (its OTKG_STORE_DIR setting, default build/store)."""
    return Path(os.environ.get("OTKG_STORE_DIR") or build_mod.BUILD_DIR / "store")


def disk_store() -> tuple[Path, ReleaseStore]:
    """The store `otkg serve` uses, prepared from build/ (built and validated first if incomplete)."""
    build_dir = build_mod.ensure_built()
    root = store_root()
    release = read_release(build_dir)["inputsDigest"][:16]
    return root, open_release(root, build_dir / "otkg.nq", release)


def _media_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CSV_TYPE
    if suffix == ".xlsx":
        return XLSX_TYPE
    if suffix in (".xlsm", ".xltm"):
        raise SheetError([Problem(None, None, None, "a macro-enabled workbook: save it as a plain .xlsx")])
    raise SheetError([Problem(None, None, None, f"'{path.name}' is neither .xlsx nor .csv")])


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SheetError(
            [Problem(None, None, None, f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")]
        )
    return path.read_bytes()


def import_package(args) -> int:
    from ..terms import load_ontology

    started = time.perf_counter()
    try:
        media = _media_type(args.file)
        data = _read(args.file)
        root, store = disk_store()
        done = import_sheet(
            data, media, args.file.name, args.trust, args.cluster, store, load_ontology(), slug=args.name
        )
    except SheetError as exc:
        for p in exc.problems:
            print(f"error: {p}" + (f" (cell {p.cell})" if p.cell else ""), file=sys.stderr)
        return 1
    except (UploadError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        generation, existed = commit_graph(root, done.graph, done.triples)
    except (CommitFailed, CommitUnconfirmed) as exc:  # the cause, without a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{'replaced' if existed else 'wrote'} <{done.graph}> in {root} (generation {generation}): "
        f"{len(done.triples)} triples, package <{done.package}> with {done.elements} elements, "
        f"{done.claims} quoted cells of <{done.document}>, in {time.perf_counter() - started:.1f} s"
    )
    return 0


def export(args) -> int:
    _, store = disk_store()
    try:
        args.out.write_bytes(export_package(store, args.package))
    except (ExportError, LookupError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


def write_template(args) -> int:
    _, store = disk_store()
    args.out.write_bytes(template(store))
    print(f"wrote {args.out}")
    return 0


HANDLERS = {"import-package": import_package, "export-package": export, "template": write_template}
