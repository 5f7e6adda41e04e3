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
    import uvicorn

    from api.settings import get_settings

    code = build_mod.main([])
    if code:
        return code
    settings = get_settings()
    uvicorn.run("api.main:create_app", factory=True, host=args.host or settings.host,
                port=args.port or settings.port, workers=args.workers)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otkg", description="otkg knowledge graph tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build and validate the graph into build/", add_help=False)
    sub.add_parser("summary", help="count entities per class in the graph")
    serve = sub.add_parser("serve", help="build the graph and serve the API (default 127.0.0.1:8000)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    args, rest = parser.parse_known_args(argv)
    if args.command == "build":
        return build_mod.main(rest)
    if args.command == "summary":
        return _summary(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
