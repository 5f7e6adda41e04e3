"""A Trust's package sheet imported as a local graph: the exact entries and links, the quotes, the
traceability QC and SHACL, every bad sheet refused at its cell, and the `otkg import-package` command."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
from otkg.kg import cli
from otkg.kg.pipeline import build as build
from otkg.kg.pipeline.sheet_import import import_sheet, slug_for
from otkg.kg.pipeline.sheet_read import SheetError
from otkg.kg.pipeline.validate import qc
from otkg.kg.terms import load_ontology

from tests.sheet_files import BAD_SHEETS, CSV, FIXTURE_CSV, FIXTURE_XLSX, TRUST, XLSX, cell_texts, workbook

ID = "https://w3id.org/otkg/id/"
ONT = "https://w3id.org/otkg/ontology#"
GRAPH = "https://w3id.org/otkg/graph/local/synthetic-trust"
# (column, position, class, text, links) of every element the fixture must become
EXPECTED = {
    (
        "assessment",
        1,
        "AssessmentFocus",
        "specific focus: motivation",
        frozenset(
            {("concernsChallenge", "challenge-motivation"), ("assessmentPriority", "priority-specific-focus")}
        ),
    ),
    (
        "assessment",
        2,
        "AssessmentFocus",
        "specific focus: responsibilities and routines",
        frozenset(
            {("concernsChallenge", "challenge-routines"), ("assessmentPriority", "priority-specific-focus")}
        ),
    ),
    (
        "assessment",
        3,
        "AssessmentFocus",
        "if need identified: environment",
        frozenset(
            {
                ("concernsChallenge", "challenge-environment"),
                ("assessmentPriority", "priority-if-need-identified"),
            }
        ),
    ),
    (
        "challenges",
        1,
        "ChallengeRating",
        "moderate: motivation",
        frozenset({("concernsChallenge", "challenge-motivation"), ("severity", "severity-moderate")}),
    ),
    (
        "challenges",
        2,
        "ChallengeRating",
        "minor: responsibilities and routines",
        frozenset({("concernsChallenge", "challenge-routines"), ("severity", "severity-minor")}),
    ),
    (
        "challenges",
        3,
        "ChallengeRating",
        "minor: environment",
        frozenset({("concernsChallenge", "challenge-environment"), ("severity", "severity-minor")}),
    ),
    (
        "challenges",
        4,
        "ChallengeRating",
        "major: communication and interaction skills",
        frozenset({("concernsChallenge", "challenge-communication"), ("severity", "severity-major")}),
    ),
    (
        "outcome",
        1,
        "OutcomeEntry",
        "motivation: sets weekly activity goals",
        frozenset({("specifies", "outcome-motivation")}),
    ),
    (
        "outcome",
        2,
        "OutcomeEntry",
        "overall: returns to work or study",
        frozenset({("specifies", "ot-overall-outcome")}),
    ),
    (
        "intervention",
        1,
        "InterventionEntry",
        "1. Building self efficacy to engage in activity",
        frozenset({("specifies", "intervention-01")}),
    ),
    (
        "intervention",
        2,
        "InterventionEntry",
        "7. (Re) establishing productive / valued daily routines",
        frozenset({("specifies", "intervention-07")}),
    ),
    (
        "intervention",
        3,
        "InterventionEntry",
        "23. Vocational Enablement",
        frozenset({("specifies", "intervention-23")}),
    ),
    ("intervention", 4, "MeasureEntry", "measure: OCAIRS", frozenset({("measuredBy", "ocairs")})),
    ("intervention", 5, "MeasureEntry", "measure: MOHOST", frozenset({("measuredBy", "mohost")})),
    (
        "added-value",
        1,
        "AddedValueEntry",
        "organisation: fewer days of sick leave",
        frozenset({("valueTo", "beneficiary-organisation")}),
    ),
    (
        "added-value",
        2,
        "AddedValueEntry",
        "service user: more confidence at work",
        frozenset({("valueTo", "beneficiary-service-users")}),
    ),
    (
        "skill-level",
        1,
        "SkillLevelEntry",
        "level 4-6",
        frozenset({("minSkillLevel", "sfh-level-4"), ("maxSkillLevel", "sfh-level-6")}),
    ),
    (
        "contact",
        1,
        "ContactEntry",
        "pattern: fortnightly one-hour sessions",
        frozenset({("contactPattern", "fortnightly one-hour sessions")}),
    ),
    (
        "contact",
        2,
        "ContactEntry",
        "duration: 2-9 months, average 4",
        frozenset({("minDurationMonths", "2"), ("maxDurationMonths", "9"), ("averageDurationMonths", "4")}),
    ),
    (
        "contact",
        3,
        "ContactEntry",
        "hours: 10-30, average 24",
        frozenset({("minContactHours", "10"), ("maxContactHours", "30"), ("averageContactHours", "24")}),
    ),
    ("resources", 1, "ResourceEntry", "workbook and vocational resource pack", frozenset()),
}
LINKS = (
    "concernsChallenge",
    "assessmentPriority",
    "severity",
    "specifies",
    "measuredBy",
    "valueTo",
    "minSkillLevel",
    "maxSkillLevel",
    "contactPattern",
    "minDurationMonths",
    "maxDurationMonths",
    "averageDurationMonths",
    "minContactHours",
    "maxContactHours",
    "averageContactHours",
)


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def do_import(
    store,
    data: bytes,
    media: str = XLSX,
    cluster: str = "2",
    ontology=None,
    name="synthetic-trust",
    trust=TRUST,
):
    return import_sheet(data, media, "sheet", trust, cluster, store, ontology or load_ontology(), slug=name)


def package_store(done) -> ox.Store:
    st = ox.Store()
    st.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(done.graph)) for t in done.triples)
    return st


def elements(st) -> set:
    """(column, position, class, text, links) of every element of the package, read back by SPARQL."""
    rows = st.query(
        f"""SELECT ?el ?col ?pos ?cls ?text ?p ?o WHERE {{
      <{ID}local/synthetic-trust/package> <{ONT}hasElement> ?el . ?el <{ONT}inColumn> ?col ; <{ONT}elementPosition> ?pos ;
      a ?cls ; <{ONT}text> ?text . FILTER(?cls != <{ONT}PackageElement>) OPTIONAL {{ ?el ?p ?o FILTER(?p IN ({", ".join(f"<{ONT}{p}>" for p in LINKS)})) }} }}""",
        use_default_graph_as_union=True,
    )
    found: dict = {}
    for r in rows:
        key = (
            r["col"].value.removeprefix(ID + "ot-column-"),
            int(r["pos"].value),
            r["cls"].value.removeprefix(ONT),
            r["text"].value,
        )
        links = found.setdefault(key, set())
        if r["p"] is not None:
            links.add((r["p"].value.removeprefix(ONT), r["o"].value.removeprefix(ID)))
    return {(*k, frozenset(v)) for k, v in found.items()}


@pytest.mark.parametrize("path,media", [(FIXTURE_XLSX, XLSX), (FIXTURE_CSV, CSV)], ids=["xlsx", "csv"])
def test_the_fixture_becomes_exactly_its_entries_and_links(embedded_store, ontology, path, media):
    done = do_import(embedded_store, path.read_bytes(), media, ontology=ontology)
    assert done.graph == GRAPH and done.elements == 21 and done.claims == 23
    st = package_store(done)
    assert elements(st) == EXPECTED
    entries = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?el a <{ONT}PackageElement> }}"  # entailed, as in the build
    assert int(next(iter(st.query(entries, use_default_graph_as_union=True)))["n"].value) == 21
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert done.document == f"{ID}local/synthetic-trust/sheet-{digest[:16]}"
    head = {
        (r["p"].value.removeprefix(ONT), r["o"].value.removeprefix(ID))
        for r in st.query(
            f"SELECT ?p ?o WHERE {{ <{ID}local/synthetic-trust/package> ?p ?o FILTER(?p != <{ONT}hasElement>) }}",
            use_default_graph_as_union=True,
        )
    }
    assert head == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"{ONT}LocalCarePackage"),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"{ONT}CarePackage"),  # its superclasses
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/prov#Entity"),
        ("forCluster", "cluster-2"),
        ("adaptedFrom", "ot-package-cluster-2"),
        ("providedBy", "local/synthetic-trust/trust"),
        ("http://www.w3.org/2000/01/rdf-schema#label", f"local care package of {TRUST} for cluster 2"),
    }
    doc = {
        r["p"].value.rsplit("#", 1)[-1]: r["o"].value
        for r in st.query(
            f"SELECT ?p ?o WHERE {{ <{done.document}> ?p ?o FILTER(?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }}",
            use_default_graph_as_union=True,
        )
    }
    assert doc["sha256"] == digest and doc["fileName"] == "sheet"


def test_every_claim_quotes_its_cell_as_the_file_holds_it(embedded_store, ontology):
    data = FIXTURE_XLSX.read_bytes()
    st = package_store(do_import(embedded_store, data, ontology=ontology))
    quotes = {
        r["ref"].value: (r["exact"].value, r["sheet"].value, int(r["row"].value), r["col"].value)
        for r in st.query(
            """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX otkg: <https://w3id.org/otkg/ontology#>
        SELECT ?ref ?exact ?sheet ?row ?col WHERE { ?c a otkg:Claim ; oa:hasTarget ?t . ?t oa:hasSelector ?q, ?f .
        ?q oa:exact ?exact . ?f a oa:FragmentSelector ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?ref ;
        otkg:sheetName ?sheet ; otkg:rowNumber ?row ; otkg:columnLetter ?col }""",
            use_default_graph_as_union=True,
        )
    }
    cells = cell_texts(data)
    assert len(quotes) == 23 and set(quotes) == {
        f"'Package'!{ref}" for ref in cells if ref not in ("A1", "A2") and ref[1:] != "4"
    }
    for ref, (exact, sheet, row, col) in quotes.items():
        assert (exact, f"'{sheet}'!{col}{row}") == (cells[ref.split("!")[1]], ref)


def test_the_package_is_fully_traced_and_valid_over_the_built_graph(assembled, embedded_store, ontology):
    done = do_import(embedded_store, FIXTURE_XLSX.read_bytes(), ontology=ontology)
    st = assembled.store()
    st.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(done.graph)) for t in done.triples)
    assert [str(v) for v in qc(st)] == []  # untraced-triple, claim-without-quote and every other QC query


@pytest.mark.parametrize("case", BAD_SHEETS, ids=[c[0] for c in BAD_SHEETS])
def test_a_bad_sheet_is_refused_at_its_cell(embedded_store, ontology, case):
    _, body, media, cluster, where, words = case
    with pytest.raises(SheetError) as err:
        do_import(embedded_store, body, media, cluster, ontology)
    first = err.value.problems[0]
    assert (first.sheet, first.row, first.column) == where, err.value.problems
    assert words.lower() in first.message.lower()


def test_every_problem_of_a_sheet_is_listed(embedded_store, ontology):
    body = workbook({"A5": "specific focus: sleep", "D6": "99", "F5": "level 0"})
    with pytest.raises(SheetError) as err:
        do_import(embedded_store, body, ontology=ontology)
    assert [p.cell for p in err.value.problems] == ["A5", "D6", "F5"]


def test_slugs_come_from_the_trust_name():
    assert slug_for(TRUST) == "synthetic-example-nhs-trust-not-real"


@pytest.fixture
def cli_store(build_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BUILD_DIR", build_dir)
    monkeypatch.setenv("OTKG_STORE_DIR", str(tmp_path / "store"))
    return tmp_path / "store"


def local_graphs(root) -> dict:
    st = ox.Store.read_only(str(root / (root / "current").read_text().strip()))
    return {
        g.value: len(list(st.quads_for_pattern(None, None, None, g)))
        for g in st.named_graphs()
        if g.value.startswith("https://w3id.org/otkg/graph/local/")
    }


def test_import_package_command_commits_the_graph(cli_store, capsys):
    args = [
        "import-package",
        str(FIXTURE_XLSX),
        "--trust",
        TRUST,
        "--cluster",
        "2",
        "--name",
        "synthetic-trust",
    ]
    assert cli.main(args) == 0
    assert f"wrote <{GRAPH}>" in capsys.readouterr().out
    assert local_graphs(cli_store) == {GRAPH: 1677}
    assert cli.main(args) == 0 and "replaced" in capsys.readouterr().out


def test_query_command_answers_over_an_imported_package(cli_store, capsysbinary):
    # what a commissioner runs next: the Trust's package against the national one, from the command line
    importing = [
        "import-package",
        str(FIXTURE_XLSX),
        "--trust",
        TRUST,
        "--cluster",
        "2",
        "--name",
        "synthetic-trust",
    ]
    assert cli.main(importing) == 0
    capsysbinary.readouterr()
    assert (
        cli.main(
            [
                "query",
                "package-ranges-vs-national",
                "--param",
                f"package={ID}local/synthetic-trust/package",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    rows = capsysbinary.readouterr().out.decode().splitlines()
    assert [r.split(",")[0] + "," + r.split(",")[-1] for r in rows[1:]] == [
        "contact time,no national range",
        "duration,above",
        "skill level,below",
    ]


CLI_CASES = (
    "formula",
    "merged cells",
    "misspelled header",
    "unknown intervention",
    "level 5-3",
    "wrong cluster",
    "missing trust",
    "csv not utf-8",
)


@pytest.mark.parametrize("case", [c for c in BAD_SHEETS if c[0] in CLI_CASES], ids=lambda c: c[0])
def test_import_package_command_reports_the_cell_and_writes_nothing(cli_store, tmp_path, capsys, case):
    _, body, media, cluster, (sheet, row, column), _ = case
    path = tmp_path / f"bad.{'csv' if media == CSV else 'xlsx'}"
    path.write_bytes(body)
    assert (
        cli.main(["import-package", str(FIXTURE_XLSX), "--trust", TRUST, "--cluster", "2", "--name", "keep"])
        == 0
    )
    before, current = local_graphs(cli_store), (cli_store / "current").read_text()
    assert (
        cli.main(["import-package", str(path), "--trust", TRUST, "--cluster", cluster, "--name", "bad"]) == 1
    )
    err = capsys.readouterr().err
    assert f"sheet '{sheet}', row {row}" + (f", column {column}" if column else "") in err, err
    assert local_graphs(cli_store) == before and (cli_store / "current").read_text() == current


def test_a_sheet_claiming_a_huge_dimension_is_read_at_its_real_size(embedded_store, ontology, monkeypatch):
    import io
    import re
    import zipfile

    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    rows_read = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self, *args, **kwargs):  # each row the importer is given, padding included
        for row in iter_rows(self, *args, **kwargs):
            rows_read.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)

    src, out = zipfile.ZipFile(io.BytesIO(workbook())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # padding this would be 17 billion cells
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data)
            dst.writestr(item, data)
    assert do_import(embedded_store, out.getvalue(), ontology=ontology).elements == 21
    assert (
        0 < len(rows_read) < 50 and max(rows_read) <= 8
    )  # its real rows and columns, not 1,048,576 x 16,384


GRAMMAR_ERRORS = [
    (
        {"A7": "if need identified - environment"},
        "A7",
        [
            "'if need identified - environment'",
            "write 'if need identified: environment'",
            "priority is one of if need identified, specific focus",
            "challenge area is one of communication and interaction skills, environment",
        ],
    ),
    ({"B6": "severe: motivation"}, "B6", ["'severe: motivation'", "use one of major, minor, moderate"]),
    ({"C5": "happiness: smiles"}, "C5", ["'happiness: smiles'", "use one of overall, communication"]),
    ({"D6": "25. Gardening"}, "D6", ["'25. Gardening'", "use 1 to 24"]),
    ({"D6": "gardening"}, "D6", ["'gardening'", "intervention number 1 to 24", "ACIS", "OCAIRS"]),
    ({"D8": "measure: FOO"}, "D8", ["'measure: FOO'", "use one of ACIS", "MOHOST"]),
    (
        {"D6": "7. Assistive technology"},
        "D6",
        ["intervention 7 is '7. (Re)establishing productive", "'Assistive technology' is intervention 16"],
    ),
    ({"E5": "staff: happier"}, "E5", ["'staff: happier'", "use one of organisation, service user"]),
    ({"E5": "organisation - fewer days off"}, "E5", ["write 'organisation: fewer days off'"]),
    ({"G5": "frequency: weekly"}, "G5", ["'frequency: weekly'", "unknown contact kind 'frequency'"]),
    ({"F5": "level five"}, "F5", ["'level five'", "'level 5-6'"]),
]


@pytest.mark.parametrize(
    "cells,ref,words", GRAMMAR_ERRORS, ids=[c[1] + " " + next(iter(c[0].values())) for c in GRAMMAR_ERRORS]
)
def test_a_grammar_error_quotes_the_cell_and_lists_the_allowed_words(
    embedded_store, ontology, cells, ref, words
):
    with pytest.raises(SheetError) as err:
        do_import(embedded_store, workbook(cells), ontology=ontology)
    [problem] = err.value.problems
    assert problem.cell == ref and problem.text == cells[ref] and problem.as_dict()["text"] == cells[ref]
    for w in words:
        assert w in problem.message, problem.message


REPEATS = [
    ({"D10": "Measure:  ocairs"}, "D10", "D10 repeats D8: 'Measure: ocairs' is already in this column"),
    (
        {"D10": "7"},
        "D10",
        "D10 repeats D6: '7' says the same as '7. (Re) establishing productive / valued daily",
    ),
    ({"C7": "Motivation:  sets weekly activity goals"}, "C7", "C7 repeats C5"),
    ({"F6": "4-6"}, "F6", "F6 repeats F5: '4-6' says the same as 'level 4-6'"),
    ({"A8": "specific focus : motivation"}, "A8", "A8 repeats A5"),
]


@pytest.mark.parametrize("cells,ref,words", REPEATS, ids=[c[1] for c in REPEATS])
def test_a_repeated_entry_is_refused_naming_both_cells(embedded_store, ontology, cells, ref, words):
    with pytest.raises(SheetError) as err:
        do_import(embedded_store, workbook(cells), ontology=ontology)
    [problem] = err.value.problems
    assert problem.cell == ref and words in problem.message, problem.message


def test_two_outcomes_for_one_area_are_two_entries(embedded_store, ontology):
    done = do_import(embedded_store, workbook({"C7": "motivation: keeps a weekly diary"}), ontology=ontology)
    assert done.elements == 22


def test_intervention_4_is_an_intervention_as_number_and_as_its_name(embedded_store, ontology):
    for text in ("4", "4. Re-motivation process"):
        done = do_import(embedded_store, workbook({"D10": text}), ontology=ontology)
        assert done.elements == 22


def test_b2_takes_the_clusters_name_from_its_list_but_not_another_clusters(embedded_store, ontology):
    good = "2. Common Mental Health Problems (Low Severity with Greater Need)"
    assert do_import(embedded_store, workbook({"B2": good}), ontology=ontology).elements == 21
    with pytest.raises(SheetError) as err:
        do_import(embedded_store, workbook({"B2": "2. Psychotic Crisis"}), ontology=ontology)
    assert "'Psychotic Crisis' is cluster 14" in err.value.problems[0].message
