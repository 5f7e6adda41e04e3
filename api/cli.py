"""The `otkg` console script: kg.cli's graph commands plus `serve`, which runs this API.

It lives here, above kg/, so that kg/ never imports the API (data flows kg -> api only). Every
command takes `--data-dir DIR`, the folder for the built graph and the store (kg.paths).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HTTP_PROTOCOL = "otkg.api.connections:HttpProtocol"  # a path: uvicorn's worker processes import it


DATA_DIR_HELP = (
    "folder for the built graph and, in DIR/store, the store (default: a checkout's build/, "
    "else ./otkg-data; also $OTKG_BUILD_DIR)"
)


def take_data_dir(argv: list[str]) -> tuple[Path | None, list[str]]:
    """`--data-dir DIR` (anywhere on the line, for any command) and the arguments without it."""
    pre = argparse.ArgumentParser(prog="otkg", add_help=False, allow_abbrev=False)
    pre.add_argument("--data-dir", type=Path, metavar="DIR")
    known, rest = pre.parse_known_args(argv)
    return known.data_dir, rest


def add_parsers(sub) -> None:
    for parser in sub.choices.values():  # for --help only: main() takes the option out first
        if parser.add_help:  # `build` hands its arguments to kg.pipeline.build, whose --out is the same
            parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    serve = sub.add_parser(
        "serve",
        help="build the graph unless its folder is current, then serve the API (default 127.0.0.1:8000)",
    )
    serve.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    # One API process by default (issue 22, lean): on the real graph it served the evidence trace at
    # 161 requests/s against 114 for one per core on a busy 2-core box, in 198 MiB against 575;
    # a larger box may give more (--workers).
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API processes sharing the read-only store (default 1; more on a larger machine)",
    )


def serve(args: argparse.Namespace) -> int:
    """Build (validated) unless the data folder is current for the inputs, then run uvicorn over the app."""
    import uvicorn

    from ..kg.pipeline import build as build_mod
    from . import budgets
    from .settings import get_settings

    # A build (assembly, SHACL, QC) takes seconds: reuse the folder when it was made from these inputs.
    if build_mod.is_current():
        print(
            f"{build_mod.BUILD_DIR} is current for the inputs; serving it (`otkg build` rebuilds)",
            file=sys.stderr,
        )
    elif code := build_mod.main([]):
        return code
    settings = get_settings()
    # one table of clients' budgets for all the API processes (api.budgets), removed when they stop
    made = None if settings.budget_file else budgets.create_file(Path(tempfile.gettempdir()))
    if made is not None:
        os.environ[budgets.ENV] = str(made)
    # httptools + uvloop (uvicorn[standard]) and no access log: measured 4x the request rate.
    # uvicorn's httptools protocol with request timeouts and a connection cap (api.connections);
    # not limit_concurrency, which would answer 503 to everyone once slow clients held enough.
    try:
        uvicorn.run(
            "otkg.api.main:create_app",
            factory=True,
            host=args.host or settings.host,
            port=args.port or settings.port,
            workers=args.workers,
            access_log=False,
            http=HTTP_PROTOCOL,
        )
    finally:
        if made is not None:  # gone with the processes that mapped it, and no longer named to later ones
            made.unlink(missing_ok=True)
            os.environ.pop(budgets.ENV, None)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command. --data-dir reaches kg/ and the API's settings as $OTKG_BUILD_DIR, set
    before they are imported: kg.paths fixes the folders when first imported, and the API
    processes uvicorn starts inherit the environment."""
    data_dir, argv = take_data_dir(sys.argv[1:] if argv is None else argv)
    if data_dir is not None:
        wanted = data_dir.resolve()
        paths = sys.modules.get("otkg.kg.paths")
        if paths is not None and Path(paths.BUILD_DIR).resolve() != wanted:  # only callers in-process
            print("error: --data-dir must be given before otkg.kg is imported", file=sys.stderr)
            return 2
        os.environ["OTKG_BUILD_DIR"] = str(wanted)
    from ..kg import cli as kg_cli

    return kg_cli.main(argv, add_parsers, {"serve": serve})


if __name__ == "__main__":
    sys.exit(main())
