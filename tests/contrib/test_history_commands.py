"""`otkg history` and `otkg restore` on the disk store `otkg serve` serves: an import replaced
and then restored from the command line, each write listed with who made it."""

from __future__ import annotations

import pytest
from otkg.kg import cli
from otkg.kg.pipeline import build as build

from tests.sheet_files import FIXTURE_CSV, TRUST


@pytest.fixture
def cli_store(build_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BUILD_DIR", build_dir)
    monkeypatch.setenv("OTKG_STORE_DIR", str(tmp_path / "store"))
    return tmp_path / "store"


def test_an_import_is_replaced_then_restored_and_listed(cli_store, tmp_path, capsys):
    changed = tmp_path / "changed.csv"
    changed.write_bytes(
        FIXTURE_CSV.read_bytes().replace(b"sets weekly activity goals", b"sets daily activity goals")
    )
    for sheet in (FIXTURE_CSV, changed):
        assert (
            cli.main(["import-package", str(sheet), "--trust", TRUST, "--cluster", "2", "--name", "camden"])
            == 0
        )
    assert cli.main(["restore", "camden", "1"]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith("restored <https://w3id.org/otkg/graph/local/camden> to version 1: ")
    )
    assert cli.main(["history", "camden"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [r[1] for r in rows] == ["created", "replaced", "restored from version 1"]
    assert {r[3] for r in rows} == {rows[0][3]} and rows[0][3].startswith("operator ")
    assert rows[0][4] == rows[2][4]  # the same triple count came back
    assert cli.main(["restore", "camden", "9"]) == 1
    assert "has no stored version 9" in capsys.readouterr().err
    assert cli.main(["history", "nobody"]) == 1
