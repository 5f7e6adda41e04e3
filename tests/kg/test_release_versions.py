"""One version everywhere a release names it: release.json, the ontology's versionIRI and versionInfo,
the newest CHANGELOG.md section, CITATION.cff and the VoID's dcterms:issued; and CITATION.cff is
valid Citation File Format 1.2.0."""

from __future__ import annotations

import json
import re

import pytest
import rdflib
import yaml
from otkg.kg import __version__
from otkg.kg.namespaces import DATASET, ONTOLOGY_IRI, release_iri
from otkg.kg.paths import ROOT
from otkg.kg.pipeline import changelog
from rdflib.namespace import DCTERMS, OWL

CITATION = ROOT / "CITATION.cff"


@pytest.fixture(scope="module")
def citation() -> dict:
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))


def test_release_json_the_ontology_and_the_changelog_name_one_version(build_dir):
    released = json.loads((build_dir / "release.json").read_text(encoding="utf-8"))
    ontology = rdflib.Graph().parse(build_dir / "otkg.owl.ttl", format="turtle")
    onto = rdflib.URIRef(ONTOLOGY_IRI)
    newest = changelog.newest_release()
    assert newest is not None and newest.version == __version__
    assert released["version"] == __version__
    assert (
        released["versionIRI"]
        == release_iri(__version__)
        == f"https://w3id.org/otkg/releases/{__version__}/otkg.owl"
    )
    assert list(ontology.objects(onto, OWL.versionIRI)) == [rdflib.URIRef(released["versionIRI"])]
    assert list(ontology.objects(onto, OWL.versionInfo)) == [rdflib.Literal(__version__)]


def test_the_void_is_issued_on_the_changelogs_date(build_dir):
    void = rdflib.Graph().parse(build_dir / "void.ttl", format="turtle")
    [issued] = void.objects(DATASET, DCTERMS.issued)
    assert str(issued) == changelog.section(__version__).date == "2026-12-08"
    [modified] = void.objects(DATASET, DCTERMS.modified)
    assert str(modified) >= str(issued)  # the last commit that changed the inputs, in a checkout


def test_citation_names_the_version_and_date_of_the_newest_release(citation):
    newest = changelog.newest_release()
    assert citation["version"] == newest.version == __version__
    assert str(citation["date-released"]) == newest.date
    assert citation["license"] == ["CC-BY-4.0", "MIT"]


def test_citation_is_valid_cff_1_2_0(citation):
    """With cffconvert (its JSON schema) where installed; else the schema's required keys and types."""
    try:
        from cffconvert import Citation
    except ImportError:
        assert {"cff-version", "message", "title", "authors"} <= set(citation)
        assert citation["cff-version"] == "1.2.0" and citation["type"] in ("software", "dataset")
        assert all(isinstance(citation[k], str) and citation[k] for k in ("message", "title", "version"))
        assert citation["authors"] and all(
            ("name" in a) != ("family-names" in a) for a in citation["authors"]
        )
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))
        return
    Citation(CITATION.read_text(encoding="utf-8")).validate()  # raises on any schema violation
