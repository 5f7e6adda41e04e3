"""Install anywhere (issue 23, item 3): the wheel, installed into a fresh virtualenv outside the
checkout, builds the graph into a folder the user names and serves it from there.

The runtime dependencies come from this test's own environment, not the network: the new venv
sees them through a .pth line naming a folder of links to them, without otkg's editable install,
so only the wheel can provide otkg.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from otkg.api import cli
from otkg.kg.pipeline import build

from tests.conftest import free_port

REPO = Path(__file__).resolve().parent.parent
PACKAGED = {"kg": "otkg/kg", "api": "otkg/api", "ontology": "otkg/ontology", "queries": "otkg/queries"}
RELEASE_READS = ("CHANGELOG.md", "CITATION.cff", "LICENSE-DATA.md")  # src/otkg/ links to them
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*cache", ".hypothesis", ".setuptools-build"
)


@pytest.fixture(scope="module")
def wheel_build(tmp_path_factory) -> tuple[Path, str]:
    """The wheel built from a copy of the checkout (so the checkout gets no scratch), offline with
    this environment's setuptools; and what the build printed."""
    src = tmp_path_factory.mktemp("src") / "otkg"
    shutil.copytree(REPO, src, ignore=NOT_SOURCES, symlinks=True)
    dist = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run([*pip, ".", "-w", str(dist)], cwd=src, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    [wheel] = dist.glob("otkg-*.whl")
    return wheel, done.stdout + done.stderr


def _dependencies(folder: Path) -> Path:
    """A folder of links to this environment's installed packages, less otkg's own install."""
    folder.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().startswith(("otkg", "__editable__", "_otkg")) and entry.suffix != ".pth":
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def venv(wheel_build, tmp_path_factory) -> Path:
    """A fresh virtualenv, outside the checkout, with the wheel installed; its bin/ folder."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    py = root / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "deps.pth").write_text(f"{_dependencies(root / 'deps')}\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*pip, str(wheel_build[0])], check=True)
    return root / "bin"


@pytest.fixture
def env() -> dict[str, str]:
    """The environment less anything naming otkg's folders or adding to Python's path."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("OTKG_", "PYTHON"))}


@pytest.mark.slow
def test_the_wheel_builds_quietly_and_holds_every_file_of_the_packaged_folders(wheel_build):
    wheel, printed = wheel_build
    assert "Warning" not in printed and "deprecated" not in printed.lower()
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [
        f"{folder}/{path.relative_to(REPO / folder)}"
        for folder, inside in PACKAGED.items()
        for path in sorted((REPO / folder).rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not path.name.startswith(".")  # make vendor's stamp
        and f"{inside}/{path.relative_to(REPO / folder)}" not in names
    ]
    assert missing == []
    assert "otkg/__init__.py" in names and "otkg-0.1.0.dist-info/licenses/LICENSE" in names
    # what the release reads from a checkout's root, an installed otkg reads from its package folder
    tops = [f"otkg/{name}" for name in RELEASE_READS if (REPO / name).is_file()]
    assert [name for name in tops if name not in names] == []


@pytest.mark.parametrize(
    "argv, rest",
    [
        (["serve", "--port", "8123", "--data-dir", "here"], ["serve", "--port", "8123"]),
        (["--data-dir=here", "token", "list"], ["token", "list"]),
        (["build", "--data-dir", "here", "--check"], ["build", "--check"]),
    ],
    ids=["after-the-command", "before-it", "between-its-options"],
)
def test_data_dir_is_taken_from_anywhere_on_the_line(argv, rest):
    assert cli.take_data_dir(argv) == (Path("here"), rest)


def test_every_command_with_its_own_help_shows_data_dir(capsys):
    for command in ("serve", "token", "query"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        assert "--data-dir DIR" in capsys.readouterr().out


def test_data_dir_given_after_otkg_kg_was_imported_is_refused_not_ignored(tmp_path, capsys):
    assert cli.main(["serve", "--data-dir", str(tmp_path)]) == 2  # tests import otkg.kg first
    assert "--data-dir must be given before otkg.kg is imported" in capsys.readouterr().err
    assert os.environ.get("OTKG_BUILD_DIR") != str(tmp_path)


def _run(venv: Path, cwd: Path, env: dict[str, str], *code: str) -> str:
    done = subprocess.run(
        [str(venv / "python"), "-c", "; ".join(code)],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_the_installed_otkg_is_the_wheel_and_keeps_its_data_in_the_working_directory(venv, tmp_path, env):
    shown = "print(otkg.__file__, otkg.api.__file__, p.CHECKOUT, p.BUILD_DIR)"
    where = _run(venv, tmp_path, env, "import otkg, otkg.api, otkg.kg.paths as p", shown).split()
    assert all(Path(f).is_relative_to(venv.parent / "lib") for f in where[:2]), where  # not the checkout
    assert where[2:] == ["False", str(tmp_path / "otkg-data")]
    named = env | {"OTKG_BUILD_DIR": "/srv/otkg"}
    assert _run(venv, tmp_path, named, "import otkg.kg.paths as p", "print(p.BUILD_DIR)") == "/srv/otkg"


@pytest.mark.slow
def test_the_installed_otkg_builds_into_a_named_folder_and_serves_a_question_from_it(venv, tmp_path, env):
    data = tmp_path / "graph"  # named relative to the working directory
    built = subprocess.run(
        [str(venv / "otkg"), "build", "--data-dir", "graph"],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert json.loads((data / "release.json").read_text())["inputsDigest"] == build.current_digest()
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(venv / "otkg"), "serve", "--data-dir", "graph", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        answer = _ask(f"http://127.0.0.1:{port}/queries/cluster-by-code?code=14&format=csv", server, log)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader(io.StringIO(answer)))
    assert [(r["code"], r["label"], r["superclassLabel"], r["intervalText"]) for r in rows] == [
        ("14", "Psychotic Crisis", "psychotic", "4 weeks")
    ]
    said = log.read_text(errors="replace")
    assert f"{data} is current for the inputs" in said  # serve read what build wrote, without rebuilding
    assert (data / "store").is_dir()  # the disk store is in the named folder too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph", "serve.log"]


def _ask(url: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> str:
    """The answer at url once the server is up (it opens the store and indexes it first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            r = httpx.get(url, timeout=10)
            assert r.status_code == 200, r.text
            return r.text
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"otkg serve did not answer: {log.read_text(errors='replace')}")
        time.sleep(0.3)
