"""The curation format: a class item of `a` with its own evidence."""

import pytest
from otkg.kg.pipeline.curation import CurationError, load_table


def _table(tmp_path, a: str):
    path = tmp_path / "t.yaml"
    path.write_text(
        f"""document: doc-000
records:
  - id: thing
    a: {a}
    quote: "Lifestyle adjustment"
""",
        encoding="utf-8",
    )
    return load_table(path)


def test_plain_classes_have_no_evidence_of_their_own(tmp_path):
    rec = _table(tmp_path, "[Intervention, skos:Concept]").records[0]
    assert rec.types == ["Intervention", "skos:Concept"] and rec.type_origins == {}


def test_a_class_item_carries_its_own_evidence(tmp_path):
    rec = _table(tmp_path, '[Intervention, {class: CompositeIntervention, curated: "why"}]').records[0]
    assert rec.types == ["Intervention", "CompositeIntervention"]
    assert rec.type_origins == {"CompositeIntervention": {"curated": "why"}}
    rec = _table(tmp_path, '[{class: Intervention, quote: "9.", within: "9. Lifestyle"}]').records[0]
    assert rec.type_origins == {"Intervention": {"quote": "9.", "within": "9. Lifestyle"}}


@pytest.mark.parametrize(
    "item, why",
    [
        ("{class: CompositeIntervention}", "exactly one of quote, curated, source"),
        ("{class: CompositeIntervention, curated: x, quote: y}", "exactly one of quote, curated, source"),
        ('{curated: "no class"}', "needs class"),
        ("{class: CompositeIntervention, curated: x, label: y}", "needs class"),
        ('{class: CompositeIntervention, source: "https://example.org/"}', "status: verified"),
    ],
)
def test_a_malformed_class_item_fails_naming_the_record(tmp_path, item, why):
    with pytest.raises(CurationError, match=f"t.yaml: record 'thing': .*{why}"):
        _table(tmp_path, f"[Intervention, {item}]")
