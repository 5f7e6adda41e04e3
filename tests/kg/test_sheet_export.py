"""Packages back out as sheets: the template filled in imports, and export then import round-trips
(the same entries and links) for a Trust's package and for the national cluster 2 package."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook
from otkg.kg import cli
from otkg.kg.pipeline.sheet_export import ExportError, export_package, template
from otkg.kg.store.seam import EmbeddedStore

from tests.kg.test_sheet_import import EXPECTED, ID, LINKS, ONT, cli_store, do_import, elements, local_graphs  # noqa: F401
from tests.sheet_files import ENTRIES, FIXTURE_XLSX, TRUST, XLSX

NATIONAL = ID + "ot-package-cluster-2"
LINKED = """SELECT ?col ?pos ?p ?o WHERE { VALUES ?pkg { <%s> } ?pkg <https://w3id.org/otkg/ontology#hasElement> ?el .
  ?el <https://w3id.org/otkg/ontology#inColumn> ?col ; <https://w3id.org/otkg/ontology#elementPosition> ?pos ; ?p ?o .
  FILTER(?p IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, %s)) }"""


@pytest.fixture(scope="module")
def with_local(assembled):
    """The built graph plus the fixture imported as a local graph."""
    st = assembled.store()
    store = EmbeddedStore(st)
    done = do_import(store, FIXTURE_XLSX.read_bytes())
    st.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(done.graph)) for t in done.triples)
    return store


def links(st, package: str) -> set:
    """(column, position, property, value) of every element, but its own wording."""
    return {
        tuple(r[v].value for v in ("col", "pos", "p", "o"))
        for r in st.query(
            LINKED % (package, ", ".join(f"<{ONT}{p}>" for p in LINKS)), use_default_graph_as_union=True
        )
    }


def test_the_template_filled_in_imports(embedded_store):
    wb = load_workbook(io.BytesIO(template(embedded_store)))
    assert wb.sheetnames == ["Package", "Lists", "Instructions"]
    ws = wb["Package"]
    assert [ws.cell(row=4, column=c).value for c in range(1, 9)] == [
        "Assessment",
        "Challenges",
        "Outcome",
        "Intervention",
        "Added value",
        "Skill/level",
        "Contact",
        "Resources",
    ]
    assert (ws["A1"].value, ws["A2"].value, ws["B1"].value, ws["B2"].value) == (
        "Trust",
        "Care cluster",
        None,
        None,
    )
    instructions = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    for words in (
        "specific focus",
        "if need identified",
        "major",
        "responsibilities and routines",
        "OCAIRS",
        "service user",
        "level <a>-<b>",
    ):
        assert words in instructions
    # an input prompt on every cell to fill in (B1, B2, each column from row 5), within Excel's limits;
    # drop-down lists on B2 and the four columns whose words come from lists
    dvs = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert sorted(dvs) == ["A5", "B1", "B2", "B5", "C5", "D5", "E5", "F5", "G5", "H5"]
    assert all(dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255 for dv in dvs.values())
    assert all(dv.promptTitle and len(dv.promptTitle) <= 32 for dv in dvs.values())
    assert {k for k, dv in dvs.items() if dv.type == "list"} == {"B2", "A5", "B5", "D5", "F5"}
    assert "Pick from the list" in dvs["D5"].prompt and "motivation" in dvs["C5"].prompt
    lists = wb["Lists"]
    shown = {c.value for row in lists.iter_rows() for c in row if c.value}
    assert "4. Re-motivation process" in shown and "measure: OCAIRS" in shown
    assert "2. Common Mental Health Problems (Low Severity with Greater Need)" in shown
    assert "7. (Re)establishing productive or valued daily routines" in shown
    ws["B1"], ws["B2"] = TRUST, 2
    for col, texts in ENTRIES.items():
        for row, text in enumerate(texts, start=5):
            ws[f"{col}{row}"] = text
    out = io.BytesIO()
    wb.save(out)
    done = do_import(embedded_store, out.getvalue())
    assert elements(ox_store(done)) == EXPECTED


def test_the_drop_down_names_import(embedded_store):
    # what the template's lists offer: '4. Re-motivation process' in D, '2. <name>' in B2
    wb = load_workbook(io.BytesIO(template(embedded_store)))
    ws = wb["Package"]
    ws["B1"], ws["B2"] = TRUST, "2. Common Mental Health Problems (Low Severity with Greater Need)"
    for col, texts in ENTRIES.items():
        for row, text in enumerate(texts, start=5):
            ws[f"{col}{row}"] = text
    ws["D10"] = "4. Re-motivation process"
    ws["D11"] = "24"
    out = io.BytesIO()
    wb.save(out)
    found = elements(ox_store(do_import(embedded_store, out.getvalue())))
    added = {(c, p, text, links) for c, p, _, text, links in found} - {
        (c, p, t, k) for c, p, _, t, k in EXPECTED
    }
    assert added == {
        ("intervention", 6, "4. Re-motivation process", frozenset({("specifies", "intervention-04")})),
        ("intervention", 7, "24", frozenset({("specifies", "intervention-24")})),
    }


def ox_store(done) -> ox.Store:
    st = ox.Store()
    st.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(done.graph)) for t in done.triples)
    return st


def test_a_local_package_round_trips_through_its_export(with_local):
    sheet = export_package(with_local, ID + "local/synthetic-trust/package")
    done = do_import(with_local, sheet)
    assert elements(ox_store(done)) == EXPECTED  # the same (column, position, text, links)


def test_the_national_package_round_trips_through_its_export(with_local):
    sheet = export_package(with_local, NATIONAL)
    ws = load_workbook(io.BytesIO(sheet))["Package"]
    trust = ws["B1"].value
    assert ws["B2"].value == 2 and ws["A5"].value == "specific focus: motivation"
    done = do_import(with_local, sheet, name="national-2", trust=trust)
    back = ox_store(done)
    assert links(back, ID + "local/national-2/package") == links(with_local.store, NATIONAL)
    # 84 links and entry classes of its 35 elements, and each element's entailed otkg:PackageElement
    # (116 before the 'Adjust demands' entry, issue 21 item 1)
    assert len(links(back, ID + "local/national-2/package")) == 119 and trust.startswith(
        "OT indicative care package"
    )


def test_export_refuses_a_bad_or_unknown_iri(embedded_store):
    with pytest.raises(ExportError):
        export_package(embedded_store, "http://example.org/x")
    with pytest.raises(LookupError):
        export_package(embedded_store, ID + "no-such-package")


def test_export_and_template_commands_write_xlsx(cli_store, tmp_path, capsys):  # noqa: F811 - the imported fixture
    assert cli.main(["template", "--out", str(tmp_path / "t.xlsx")]) == 0
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "Package"
    assert cli.main(["export-package", NATIONAL, "--out", str(tmp_path / "n.xlsx")]) == 0
    assert load_workbook(tmp_path / "n.xlsx")["Package"]["D10"].value == "measure: OCAIRS"
    assert cli.main(["export-package", ID + "nothing", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "no care package" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()
    assert local_graphs(cli_store) == {}
    assert XLSX.endswith("sheet")


def test_the_same_package_always_writes_the_same_bytes():
    # openpyxl stamps save times; fixed stamps keep one ETag and one length per package (GET and HEAD agree)
    import time

    from otkg.kg.pipeline.sheet_workbook import write_workbook

    first = write_workbook("T", 2, {"assessment": ["specific focus: motivation"]})
    time.sleep(1.1)
    assert write_workbook("T", 2, {"assessment": ["specific focus: motivation"]}) == first
