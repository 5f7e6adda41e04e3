"""The `otkg` command: a few lines over kg/ functions for each sub-command."""
from __future__ import annotations

import argparse
import sys

from . import build as build_mod


def _summary(args) -> int:
    built = build_mod.assemble()
    store = built.store()
    q = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class .
             FILTER STRSTARTS(STR(?class), "https://w3id.org/otkg/ontology#") }
           GROUP BY ?class ORDER BY ?class"""
    for row in store.query(q, use_default_graph_as_union=True):
        print(f"{row['n'].value:>6}  {row['class'].value.rsplit('#', 1)[1]}")
    return 0


def _serve(args) -> int:
    # The HTTP API arrives with its own issue; until then `serve` builds and summarises.
    code = build_mod.main([])
    return code or _summary(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otkg", description="otkg knowledge graph tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build and validate the graph into build/", add_help=False)
    sub.add_parser("summary", help="count entities per class in the graph")
    sub.add_parser("serve", help="build the graph and serve it")
    args, rest = parser.parse_known_args(argv)
    if args.command == "build":
        return build_mod.main(rest)
    if args.command == "summary":
        return _summary(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
