"""The `otkg export-package` and `otkg template` commands (kg.cli adds them), and what the
command line's sheet commands share: the embedded disk store `otkg serve` serves (build/store, or
$OTKG_STORE_DIR) and a sheet file's type. (`otkg import-package` is a write: kg.contrib.cli.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..store.seam import ReleaseStore, open_release
from . import build as build_mod
from .release import read_release
from .sheet_export import ExportError, export_package, template
from .sheet_read import CSV_TYPE, MAX_FILE_BYTES, XLSX_TYPE, Problem, SheetError


def add_parsers(sub) -> None:
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


def media_type(path: Path) -> str:
    """The sheet type of a file, from its name; SheetError for any other file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CSV_TYPE
    if suffix == ".xlsx":
        return XLSX_TYPE
    if suffix in (".xlsm", ".xltm"):
        raise SheetError([Problem(None, None, None, "a macro-enabled workbook: save it as a plain .xlsx")])
    raise SheetError([Problem(None, None, None, f"'{path.name}' is neither .xlsx nor .csv")])


def read_sheet(path: Path) -> bytes:
    """A sheet file's bytes; SheetError past the size an import takes."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SheetError(
            [Problem(None, None, None, f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")]
        )
    return path.read_bytes()


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


HANDLERS = {"export-package": export, "template": write_template}
