"""kg.pipeline.build.is_current: a build folder found current remembers its inputs' file listing,
so a later check reads no tables while nothing changed, and still sees any change."""

import shutil

import pytest
from otkg.kg.pipeline import build as build


@pytest.fixture
def tables(build_dir, tmp_path, monkeypatch):
    """A copy of the curation tables the build reads, and a copy of the session's build beside it."""
    copied = shutil.copytree(build.CURATION_DIR, tmp_path / "curation")
    monkeypatch.setattr(build, "CURATION_DIR", copied)
    monkeypatch.setattr(build, "BUILD_DIR", shutil.copytree(build_dir, tmp_path / "build"))
    return copied


def _no_digest():
    raise AssertionError("the tables were read")


def test_a_current_folder_is_known_current_without_reading_the_tables(tables, monkeypatch):
    assert build.is_current()  # in full: the digest of the copied tables is the build's
    assert (build.BUILD_DIR / build.INPUTS_SEEN).is_file()
    monkeypatch.setattr(build, "current_digest", _no_digest)
    assert build.is_current()


def test_an_edited_table_makes_it_not_current_after_it_was_found_current(tables):
    assert build.is_current()
    changed = sorted(tables.glob("*.yaml"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert not build.is_current()


def test_a_new_file_among_the_inputs_means_a_full_check(tables, monkeypatch):
    assert build.is_current()
    (tables / "new.yaml").write_text("rows: []\n", encoding="utf-8")
    monkeypatch.setattr(build, "current_digest", _no_digest)
    assert not build.is_current()  # the listing differs, so the tables are read (here: refused)
