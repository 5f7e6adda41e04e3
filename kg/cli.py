"""The `otkg` command's graph sub-commands: a few lines over kg/ functions for each.

kg/ never imports the API: `otkg serve` is added by api.cli, the console script, over main() here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .contrib import cli as contrib_cli
from .pipeline import build as build_mod
from .pipeline import release_files, sheet_cli
from .query import jsonld
from .query.query_catalog import load_catalog
from .query.query_service import ParamError, run_graph, run_select
from .query.serialize import SERIALIZERS, ask_table
from .store.seam import EmbeddedStore, GraphStore, is_graph_result

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
ASK_TABLE_TYPES = {"csv": "text/csv", "tsv": "text/tab-separated-values"}
# Media types, as the API names them: JSON-LD is compacted with the project's prefixes unless expanded is asked
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": jsonld.MEDIA_TYPE,
    "jsonld-expanded": f'{jsonld.MEDIA_TYPE}; profile="{jsonld.EXPANDED}"',
    "rdfxml": "application/rdf+xml",
}


def _built(name: str) -> Path:
    """A file of build/, building (and validating) first if build/ is incomplete."""
    return build_mod.ensure_built() / name


def _store() -> GraphStore:
    """The store `otkg serve` serves when there is one (it holds the Trusts' imported or uploaded
    packages, carried over to the current release), else the built graph in memory."""
    if (sheet_cli.store_root() / "current").exists():
        return sheet_cli.disk_store()[1]
    return EmbeddedStore.in_memory(_built("otkg.nq").read_bytes())


def _emit(result, fmt: str) -> None:
    if is_graph_result(result):
        sys.stdout.buffer.write(jsonld.serialize(list(result), GRAPH_FORMATS.get(fmt, "text/turtle")))
    elif isinstance(result, ox.QueryBoolean) and fmt in ASK_TABLE_TYPES:  # the HTTP API's one-cell table
        sys.stdout.buffer.write(ask_table(ASK_TABLE_TYPES[fmt], bool(result)))
    else:
        sys.stdout.buffer.write(result.serialize(format=RESULT_FORMATS.get(fmt, ox.QueryResultsFormat.CSV)))


def _query(args) -> int:
    catalog = load_catalog()
    if args.name not in catalog:
        print(f"no named query '{args.name}'; known: {', '.join(catalog)}", file=sys.stderr)
        return 2
    q, params = catalog[args.name], dict(p.split("=", 1) for p in args.param)
    try:
        if q.form == "SELECT":
            page = run_select(_store(), q, params, args.limit, args.offset)
            sys.stdout.buffer.write(SERIALIZERS[args.format](page.variables, page.rows))
        else:
            _emit(run_graph(_store(), q, params), args.format)
    except ParamError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _sparql(args) -> int:
    try:
        _emit(_store().query(args.query), args.format)
    except SyntaxError as exc:
        print(f"error: SPARQL syntax: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a triple term asked as JSON-LD
        print(f"error: {exc}; ask for turtle or ntriples", file=sys.stderr)
        return 2
    return 0


def _validate(args) -> int:
    try:
        build_mod.validate(build_mod.assemble())
    except build_mod.ValidationFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print("valid: SHACL conforms and every QC query returns no rows")
    return 0


def _export(args) -> int:
    names = {"turtle": "otkg.ttl", "nquads": "otkg.nq", "ontology": "otkg.owl.ttl", "void": "void.ttl"}
    shutil.copyfile(_built(names[args.format]), args.out)
    print(f"wrote {args.out}")
    return 0


def _load(args) -> int:
    from .store.remote_store import RemoteError, RemoteStore

    try:
        store = RemoteStore(args.sparql_url, args.graph_store_url, user=args.user, password=args.password)
        n = store.load_nquads(_built("otkg.nq").read_bytes())
    except RemoteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"loaded {n} named graphs into {args.graph_store_url}")
    return 0


def _release(args) -> int:
    build_dir = args.build_dir or build_mod.BUILD_DIR
    if not build_mod.is_current(build_dir):  # never release a build of older inputs
        build_mod.build(build_dir)
    out = args.out or build_dir / "release" / __version__  # beside the build, git-ignored like it
    try:
        contents = release_files.write_release(build_dir, out, args.base_url)
    except release_files.ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote release {__version__} to {out}: {', '.join(contents)}")
    return 0


Handler = Callable[[argparse.Namespace], int]


def main(
    argv: list[str] | None = None,
    add_parsers: Callable[[argparse._SubParsersAction], None] | None = None,
    handlers: dict[str, Handler] | None = None,
) -> int:
    """Run one sub-command; a caller above kg/ (api.cli) may add its own parsers and handlers."""
    parser = argparse.ArgumentParser(prog="otkg", description="otkg knowledge graph tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "build", help="build and validate the graph into build/ (--check: assemble only)", add_help=False
    )
    sub.add_parser("validate", help="run SHACL and every QC query over a fresh build")
    q = sub.add_parser("query", help="run a named query from queries/")
    q.add_argument("name")
    q.add_argument("--param", action="append", default=[], metavar="K=V")
    q.add_argument("--format", default="csv", choices=[*SERIALIZERS, *GRAPH_FORMATS])
    q.add_argument("--limit", type=int, default=10000)
    q.add_argument("--offset", type=int, default=0)
    s = sub.add_parser("sparql", help="run a SPARQL query over the built graph")
    s.add_argument("query")
    s.add_argument("--format", default="csv", choices=[*RESULT_FORMATS, *GRAPH_FORMATS])
    e = sub.add_parser("export", help="copy a built artefact to a file")
    e.add_argument("--format", default="turtle", choices=["turtle", "nquads", "ontology", "void"])
    e.add_argument("--out", type=Path, required=True)
    ld = sub.add_parser("load", help="load the built graph into a SPARQL server (Graph Store Protocol)")
    ld.add_argument("--graph-store-url", required=True, help="e.g. http://127.0.0.1:7878/store")
    ld.add_argument("--sparql-url", default="", help="its query endpoint (unused for loading)")
    ld.add_argument("--user", help="digest-auth user (Virtuoso: dba)")
    ld.add_argument("--password")
    r = sub.add_parser("release", help="write the release folder: dumps, ontology, VoID, SHA256SUMS, notes")
    r.add_argument("--out", type=Path, help="folder to write (default build/release/VERSION)")
    r.add_argument("--build-dir", type=Path, default=None, help="the build to release (default build/)")
    r.add_argument(
        "--base-url",
        default=release_files.DEFAULT_BASE,
        help="where the folder will be served: download URLs are BASE/release/VERSION/FILE",
    )
    contrib_cli.add_parsers(sub)  # token, history, restore, import-package
    sheet_cli.add_parsers(sub)  # export-package, template
    if add_parsers:
        add_parsers(sub)
    args, rest = parser.parse_known_args(argv)
    if args.command == "build":
        return build_mod.main(rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    run = {
        "validate": _validate,
        "query": _query,
        "sparql": _sparql,
        "export": _export,
        "load": _load,
        "release": _release,
        **contrib_cli.HANDLERS,
        **sheet_cli.HANDLERS,
        **(handlers or {}),
    }
    return run[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
