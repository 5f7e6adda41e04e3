"""The ranges docs/contributing.md states for a Trust's sheet are the ones the import accepts (issue 22):
interventions 1-24 (intervention 4 was refused) and Skills for Health levels 1-9. The size limits
are checked against the docs in tests/test_readme_limits.py."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from otkg.kg.pipeline.sheet_import import import_sheet
from otkg.kg.pipeline.sheet_vocab import Vocabulary
from otkg.kg.terms import load_ontology

from tests.sheet_files import FIXTURE_XLSX, TRUST, XLSX


@pytest.fixture(scope="module")
def vocab(embedded_store) -> Vocabulary:
    return Vocabulary.load(embedded_store)


def test_every_intervention_and_level_the_readme_names_is_known(vocab):
    # intervention 4 is a composite intervention (a subclass): it was missing, and refused
    assert sorted(vocab.numbers["intervention"]) == list(range(1, 25))
    assert sorted(vocab.numbers["level"]) == list(range(1, 10))


def test_a_sheet_naming_the_composite_intervention_imports(embedded_store):
    wb = load_workbook(FIXTURE_XLSX)
    wb["Package"]["D5"] = "4. an intervention of several components"
    body = io.BytesIO()
    wb.save(body)
    done = import_sheet(
        body.getvalue(), XLSX, "four.xlsx", TRUST, "2", embedded_store, load_ontology(), "four"
    )
    specifies = "https://w3id.org/otkg/ontology#specifies"
    assert "https://w3id.org/otkg/id/intervention-04" in {
        t.object.value for t in done.triples if t.predicate.value == specifies
    }
