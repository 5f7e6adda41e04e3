"""Where otkg's files are: the folder holding kg/, ontology/ and queries/, and the build output.

In a checkout (an editable install, tests, the bench) that folder is the repository root and the
build goes to its build/, as `make run` expects. An installed wheel puts kg/, ontology/ and queries/
inside the otkg package in site-packages, where nothing should be written: the build then goes to
./build in the working directory. $OTKG_BUILD_DIR, the API's build_dir setting, overrides both, so
that `otkg build` writes where `otkg serve` reads.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).parent.parent  # the checkout, or site-packages/otkg
CHECKOUT = (ROOT / "pyproject.toml").is_file()
BUILD_DIR = Path(os.environ.get("OTKG_BUILD_DIR") or (ROOT / "build" if CHECKOUT else Path.cwd() / "build"))
