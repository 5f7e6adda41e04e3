"""Where otkg's files are: the folder holding kg/, ontology/ and queries/, and the data folder.

The data folder holds the built graph files and, in store/, the disk store (with the Trusts'
uploads and the write tokens). In a checkout (an editable install, tests, the bench) it is the
repository's build/, as `make run` expects. An installed wheel puts kg/, ontology/ and queries/
inside the otkg package in site-packages, where nothing should be written: its data folder is then
./otkg-data in the working directory, a folder the operator can see, back up and delete, one per
working directory, under a name no other tool claims (unlike build/, which packaging tools and
.gitignore templates treat as scratch). $OTKG_BUILD_DIR (the API's build_dir setting, which
`otkg --data-dir DIR` sets) overrides both, so that `otkg build` writes where `otkg serve` reads;
$OTKG_STORE_DIR moves the store alone.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).parent.parent  # the checkout, or site-packages/otkg
CHECKOUT = (ROOT / "pyproject.toml").is_file()
DATA_DIR_ENV = "OTKG_BUILD_DIR"
INSTALLED_DEFAULT = "otkg-data"  # in the working directory, for an installed wheel
BUILD_DIR = Path(
    os.environ.get(DATA_DIR_ENV) or (ROOT / "build" if CHECKOUT else Path.cwd() / INSTALLED_DEFAULT)
)
