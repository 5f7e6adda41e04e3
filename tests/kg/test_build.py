"""The build: bad inputs fail naming the record; outputs are complete and reproducible."""

import dataclasses
import shutil
from pathlib import Path

import pytest
from otkg.kg.pipeline import build as build
from otkg.kg.pipeline.assemble import AssemblyError
from otkg.kg.pipeline.curation import CURATION_DIR, CurationError
from otkg.kg.pipeline.validate import Violation
from otkg.kg.seeds import SEEDS_DIR, SeedError


def _curation_copy(tmp_path: Path, extra: str | None = None) -> Path:
    cur = tmp_path / "curation"
    shutil.copytree(CURATION_DIR, cur)
    if extra:
        (cur / "zz-bad.yaml").write_text(extra, encoding="utf-8")
    return cur


def test_quote_not_in_document_fails_naming_file_and_record(tmp_path):
    cur = _curation_copy(
        tmp_path,
        """document: doc-001
records:
  - id: pbr-nonsense
    a: Finding
    quote: "a sentence the blog never wrote"
""",
    )
    with pytest.raises(AssemblyError, match=r"zz-bad.yaml: record 'pbr-nonsense': quote not found"):
        build.assemble(cur)


def test_ambiguous_quote_fails(tmp_path):
    cur = _curation_copy(
        tmp_path,
        """document: doc-001
records:
  - id: pbr-ambiguous
    a: Finding
    quote: "CHE, 2009:4"
""",
    )
    with pytest.raises(AssemblyError, match=r"pbr-ambiguous': quote found 2 times"):
        build.assemble(cur)


def test_unknown_property_fails(tmp_path):
    cur = _curation_copy(
        tmp_path,
        """document: doc-001
records:
  - id: pbr-typo
    a: Finding
    quote: "Has variance elements"
    lable: oops
""",
    )
    with pytest.raises(AssemblyError, match=r"property 'lable' is not declared"):
        build.assemble(cur)


def test_unknown_reference_fails(tmp_path):
    cur = _curation_copy(
        tmp_path,
        """document: doc-001
records:
  - id: pbr-dangling
    a: Finding
    quote: "Has variance elements"
    label: x
    cites: [no-such-record]
""",
    )
    with pytest.raises(AssemblyError, match=r"unknown record id 'no-such-record'"):
        build.assemble(cur)


def test_record_without_evidence_fails(tmp_path):
    cur = _curation_copy(tmp_path, "records:\n  - id: floating\n    a: Finding\n    label: x\n")
    with pytest.raises(CurationError, match=r"'floating': needs exactly one of quote, curated, source"):
        build.assemble(cur)


def test_changed_seed_fails_its_pin(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    path = seeds / "001_1fa9baddc84e8f8c.txt"
    path.write_bytes(path.read_bytes() + b" ")
    with pytest.raises(SeedError, match=r"doc-001: 001_1fa9baddc84e8f8c.txt has SHA-256"):
        build.assemble(seeds_dir=seeds)


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path):
    first = build.build(tmp_path / "a")
    second = build.build(tmp_path / "b")
    assert [p.name for p in first] == [
        "otkg.owl.ttl",
        "otkg.owl",
        "otkg-base.owl.ttl",
        "otkg-base.owl",
        "otkg.ttl",
        "otkg.nq",
        "void.ttl",
        "release.json",
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_real_graph_passes_shacl_and_qc(assembled):
    build.validate(assembled)  # raises ValidationFailed with the violations otherwise
    assert assembled.validated


def _old_build(tmp_path: Path) -> Path:
    out = tmp_path / "build"
    out.mkdir()
    (out / "release.json").write_text("old", encoding="utf-8")
    return out


def test_a_build_that_fails_validation_leaves_the_folder_as_it_was(assembled, tmp_path, monkeypatch):
    out = _old_build(tmp_path)
    monkeypatch.setattr(
        build, "shacl", lambda data, ontology: [Violation("shape", "id:x", "rdfs:label", "missing")]
    )
    monkeypatch.setattr(build, "qc", lambda store: [])
    with pytest.raises(build.ValidationFailed, match=r"1 violation\(s\):\n  shape: id:x rdfs:label: missing"):
        build.build(out, dataclasses.replace(assembled, validated=False))
    assert [p.name for p in out.iterdir()] == ["release.json"]
    assert (out / "release.json").read_text(encoding="utf-8") == "old"


def test_a_build_that_fails_mid_write_renames_nothing_and_leaves_no_temporary_file(
    assembled, tmp_path, monkeypatch
):
    out, stage = _old_build(tmp_path), build._stage

    def disk_full_at_void(path, text):
        if path.name == "void.ttl":
            raise OSError("No space left on device")
        return stage(path, text)

    monkeypatch.setattr(build, "_stage", disk_full_at_void)
    with pytest.raises(OSError, match="No space left"):
        build.build(out, dataclasses.replace(assembled, validated=True))  # the write alone
    assert [p.name for p in out.iterdir()] == ["release.json"]
    assert (out / "release.json").read_text(encoding="utf-8") == "old"


def test_ensure_built_builds_only_when_a_needed_file_is_missing(tmp_path, monkeypatch):
    out, built = _old_build(tmp_path), []
    monkeypatch.setattr(build, "build", lambda folder: built.append(folder))
    assert build.ensure_built(out, needs=("release.json",)) == out and built == []
    assert build.ensure_built(out, needs=("release.json", "otkg.nq")) == out and built == [out]


def test_nquads_put_each_document_in_its_own_named_graph(assembled):
    graphs = {line.rsplit(" ", 2)[-2] for line in assembled.nquads().splitlines()}
    for doc in ("doc-000", "doc-001", "doc-002", "doc-003", "doc-004"):
        assert f"<https://w3id.org/otkg/graph/{doc}>" in graphs
    assert "<https://w3id.org/otkg/graph/ontology>" in graphs
    assert "<https://w3id.org/otkg/graph/external-clusters>" in graphs


def test_stamped_ontology_has_version_iri_and_digest(assembled):
    from rdflib import URIRef
    from rdflib.namespace import OWL

    onto = URIRef("https://w3id.org/otkg/ontology")
    assert (
        str(assembled.ontology.value(onto, OWL.versionIRI)) == "https://w3id.org/otkg/releases/0.1.0/otkg.owl"
    )
    assert len(assembled.digest) == 64
