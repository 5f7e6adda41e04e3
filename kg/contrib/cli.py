"""The `otkg token`, `otkg history` and `otkg restore` commands, and the writer the command line
uses (`otkg import-package` too): an operator on the server's machine, recorded in the history as
'operator <user> (command line)' with an admin's scope."""

from __future__ import annotations

import getpass
import hashlib
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from ..pipeline.sheet_read import SheetError
from ..store.faults import CommitFailed, CommitUnconfirmed
from . import credentials
from .credentials import ADMIN, Credential
from .write_path import Refused, Upload, Writer


def add_parsers(sub) -> None:
    tok = sub.add_parser(
        "token", help="issue, list or revoke write credentials (the server keeps digests only)"
    )
    how = tok.add_subparsers(dest="action")
    new = how.add_parser("issue", help="issue a credential; its token is printed once")
    new.add_argument(
        "--scope", required=True, help="a graph slug, a slug prefix ending in '*', or '*' (admin)"
    )
    new.add_argument("--label", required=True, help="whose credential it is, e.g. 'Herts OT lead'")
    new.add_argument("--expires", type=date.fromisoformat, help="the last day it works (YYYY-MM-DD)")
    how.add_parser("list", help="list credentials: label, scope, issued, expires, state")
    rev = how.add_parser("revoke", help="revoke a credential at once, by its label")
    rev.add_argument("label")
    his = sub.add_parser("history", help="every write of a local graph: number, result, when, by whom")
    his.add_argument("slug")
    res = sub.add_parser("restore", help="make an earlier version of a local graph its content again")
    res.add_argument("slug")
    res.add_argument("version", type=int, help="the write number `otkg history` lists")
    imp = sub.add_parser(
        "import-package",
        help="import a Trust's package sheet (XLSX or CSV) into the disk store as a local package graph",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--trust", required=True, help="the Trust's name, as cell B1 gives it")
    imp.add_argument("--cluster", required=True, help="the care cluster code, as cell B2 gives it")
    imp.add_argument("--name", help="the graph name (slug); defaults from the trust's name")


def operator() -> Credential:
    label = f"operator {getpass.getuser()} (command line)"
    return Credential(label, hashlib.sha256(label.encode()).hexdigest(), ADMIN, "")


def command_line_writer() -> Writer:
    from ..pipeline.sheet_cli import disk_store
    from ..terms import load_ontology

    root, store = disk_store()
    return Writer(store, root, load_ontology())


def token(args) -> int:
    from ..pipeline.sheet_cli import store_root

    path = store_root() / "credentials.json"
    try:
        if args.action == "issue":
            secret = credentials.issue(path, args.label, args.scope, args.expires)
            print(f"token:  {secret}\n(shown once: give it to '{args.label}'; scope {args.scope})")
        elif args.action == "revoke":
            done = credentials.revoke(path, args.label)
            print(f"revoked '{done.label}' at {done.revoked}")
        elif args.action == "list":
            today = datetime.now(UTC).date()
            for c in credentials.load(path):
                print(
                    f"{c.label}\tscope {c.scope}\tissued {c.issued}\texpires {c.expires or 'never'}\t{c.state(today)}"
                )
        else:
            print("otkg token issue|list|revoke: see otkg token -h", file=sys.stderr)
            return 2
    except (ValueError, LookupError) as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    return 0


def history(args) -> int:
    writes = command_line_writer().history(args.slug)
    if not writes:
        print(f"error: local graph '{args.slug}' has never been written", file=sys.stderr)
        return 1
    for v in writes:
        restored = f" from version {v.restores}" if v.restores else ""
        print(f"{v.number}\t{v.result}{restored}\t{v.when}\t{v.by}\t{v.triples} triples\t{v.sha256}")
    return 0


def restore(args) -> int:
    try:
        done = command_line_writer().restore(args.slug, args.version, operator())
    except LookupError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    print(
        f"restored <{done.graph}> to version {args.version}: {done.triples} triples (generation {done.generation})"
    )
    return 0


def import_package(args) -> int:
    """A sheet through the one write path, as an upload: checked in full, then committed with its history."""
    from ..pipeline.sheet_cli import media_type, read_sheet
    from ..pipeline.sheet_import import slug_for

    started = time.perf_counter()
    try:
        up = Upload(
            args.name or slug_for(args.trust),
            read_sheet(args.file),
            media_type(args.file),
            args.trust,
            args.cluster,
            args.file.name,
        )
        w = command_line_writer()
        done = w.publish(w.check(up), operator())
    except SheetError as exc:
        return _errors([_cell(p) for p in exc.problems])
    except Refused as exc:
        if exc.problems:
            return _errors([_cell(p) for p in exc.problems])
        listed = exc.extra.get("errors") or exc.extra.get("offences") or exc.extra.get("violations") or []
        return _errors([_line(x) for x in listed] or [exc.detail])
    except (OSError, CommitFailed, CommitUnconfirmed) as exc:  # the cause, without a traceback
        return _errors([str(exc)])
    print(
        f"{'replaced' if done.existed else 'wrote'} <{done.graph}> (generation {done.generation}): "
        f"{done.triples} triples, in {time.perf_counter() - started:.1f} s"
    )
    return 0


def _cell(p) -> str:
    return f"{p}" + (f" (cell {p.cell})" if p.cell else "")


def _line(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    if "rule" in item:
        return f"{item['triple']}: {item['rule']}"
    where = ", ".join(f"{k} {item[k]}" for k in ("sheet", "cell") if item.get(k))
    return f"{where}: {item['message']}" if where else item["message"]


def _errors(lines: list[str]) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return 1


HANDLERS = {"token": token, "history": history, "restore": restore, "import-package": import_package}
