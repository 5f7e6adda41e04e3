"""`otkg serve` (api.cli): builds only when build/ is not current, then runs uvicorn over the app."""

import os
import shutil
from importlib.metadata import entry_points

import pytest
import uvicorn
from otkg.api import cli
from otkg.kg.pipeline import build as build


@pytest.fixture(autouse=True)
def fresh_build(build_dir, monkeypatch):
    """The command reads build/; point it at this session's fresh build of the current sources."""
    monkeypatch.setattr(build, "BUILD_DIR", build_dir)


@pytest.fixture
def builds(monkeypatch):
    """`otkg serve` with uvicorn and the build stubbed out; the list of builds it started."""
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setattr(build, "main", lambda argv: started.append(argv) or 0)
    return started


def test_serve_reuses_a_current_build_and_rebuilds_once_an_input_changes(builds, tmp_path, monkeypatch):
    assert cli.main(["serve"]) == 0
    # the budget file it made is gone, and no longer named to apps made later
    assert "OTKG_BUDGET_FILE" not in os.environ
    assert builds == []  # build_dir was built from the current inputs
    assert cli.main(["build"]) == 0
    assert builds == [[]]  # `otkg build` always builds
    tables = shutil.copytree(build.CURATION_DIR, tmp_path / "curation")
    changed = sorted(tables.glob("*.yaml"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(build, "CURATION_DIR", tables)
    assert cli.main(["serve"]) == 0
    assert builds == [[], []]


def test_serve_rebuilds_when_a_built_file_is_missing(builds, build_dir, tmp_path, monkeypatch):
    partial = shutil.copytree(build_dir, tmp_path / "build")
    (partial / "otkg.nq").unlink()
    monkeypatch.setattr(build, "BUILD_DIR", partial)
    assert cli.main(["serve"]) == 0
    assert builds == [[]]


def test_serve_runs_uvicorn_over_the_app_factory(builds, monkeypatch):
    runs = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: runs.append((app, kwargs)))
    assert cli.main(["serve", "--port", "8123", "--workers", "2"]) == 0
    assert runs == [
        (
            "otkg.api.main:create_app",
            {
                "factory": True,
                "host": "127.0.0.1",
                "port": 8123,
                "workers": 2,
                "access_log": False,
                "http": "otkg.api.connections:HttpProtocol",
            },
        )
    ]
    assert builds == []


def test_the_otkg_command_is_this_module_so_kg_never_imports_the_api():
    [script] = [e for e in entry_points(group="console_scripts") if e.name == "otkg"]
    assert script.value == "otkg.api.cli:main"
