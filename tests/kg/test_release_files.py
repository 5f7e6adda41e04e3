"""The release folder's parts (kg/pipeline/release_files.py, kg/pipeline/changelog.py): deterministic
gzip, download facts in the VoID, notes from the changelog, and a release refused without them."""

from __future__ import annotations

import gzip
import hashlib

import pyoxigraph as ox
import pytest
from otkg.kg import __version__
from otkg.kg.pipeline import changelog, release_files
from otkg.kg.pipeline.release import DISTRIBUTIONS, DUMPS

CHANGELOG = """# Changelog

## [Unreleased]

### Added

- something not yet released

## [0.2.0] - 2027-01-05

### Fixed

- a bug

## [0.1.0] - 2026-12-08

### Added

- the first release

[0.2.0]: https://example.org/compare/0.1.0...0.2.0
[0.1.0]: https://example.org/tag/0.1.0
"""


def test_changelog_sections_newest_first_without_the_link_references(tmp_path):
    found = changelog.sections(CHANGELOG)
    assert [(s.version, s.date) for s in found] == [
        ("Unreleased", None),
        ("0.2.0", "2027-01-05"),
        ("0.1.0", "2026-12-08"),
    ]
    assert found[2].body == "### Added\n\n- the first release"
    path = tmp_path / "CHANGELOG.md"
    path.write_text(CHANGELOG, encoding="utf-8")
    assert changelog.newest_release(path).version == "0.2.0"
    assert changelog.section("0.3.0", path) is None
    assert changelog.section("0.1.0", tmp_path / "missing.md") is None


def test_release_notes_are_the_versions_section(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text(CHANGELOG, encoding="utf-8")
    assert release_files.release_notes("0.2.0", path) == "# otkg 0.2.0 (2027-01-05)\n\n### Fixed\n\n- a bug\n"
    assert release_files.release_notes("Unreleased", path) is None  # not a release: no date


def test_gzip_is_the_same_bytes_every_time_with_no_name_and_mtime_zero():
    data = b"<a> <b> <c> .\n" * 1000
    once, again = release_files.gzipped(data), release_files.gzipped(data)
    assert once == again and gzip.decompress(once) == data
    assert once[3] == 0 and once[4:8] == b"\0\0\0\0"  # FLG: no file name; MTIME 0


def test_distribution_files_are_the_builds_with_the_graph_gzipped(build_dir):
    files = release_files.distribution_files(build_dir)
    assert list(files) == list(DISTRIBUTIONS)
    assert gzip.decompress(files["otkg.nq.gz"]) == (build_dir / "otkg.nq").read_bytes()
    assert gzip.decompress(files["otkg.ttl.gz"]) == (build_dir / "otkg.ttl").read_bytes()
    assert files["otkg.owl"] == (build_dir / "otkg.owl").read_bytes()
    assert release_files.distribution_files(build_dir) == files  # same build, same bytes


def test_download_triples_give_url_size_and_spdx_sha256():
    files = {"otkg.nq.gz": b"dump", "release.json": b"{}"}
    triples = {
        (t.subject.value, t.predicate.value.rsplit("#", 1)[1], t.object)
        for t in release_files.download_triples(files, "https://example.org/otkg/")
    }
    dist, sha = "https://w3id.org/otkg/dataset/otkg.nq.gz", "https://w3id.org/otkg/dataset/otkg.nq.gz#sha256"
    url = ox.NamedNode(f"https://example.org/otkg/release/{__version__}/otkg.nq.gz")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert {
        (dist, "downloadURL", url),
        (dist, "byteSize", ox.Literal("4", datatype=ox.NamedNode(xsd + "nonNegativeInteger"))),
        (sha, "algorithm", ox.NamedNode("http://spdx.org/rdf/terms#checksumAlgorithm_sha256")),
        (
            sha,
            "checksumValue",
            ox.Literal(hashlib.sha256(b"dump").hexdigest(), datatype=ox.NamedNode(xsd + "hexBinary")),
        ),
        ("https://w3id.org/otkg/dataset", "dataDump", url),
    } <= triples
    dumps = {t[2].value for t in triples if t[1] == "dataDump"}
    assert dumps == {url.value} and set(DUMPS) == {"otkg.nq.gz", "otkg.ttl.gz"}


def test_a_release_without_its_changelog_section_is_refused(build_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(changelog, "CHANGELOG", tmp_path / "CHANGELOG.md")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    with pytest.raises(release_files.ReleaseError, match=rf"no dated section for {__version__}"):
        release_files.write_release(build_dir, tmp_path / "out")
    assert not (tmp_path / "out").exists()
