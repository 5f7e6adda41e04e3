"""Pages in plain words (issue 21, item 5): durations as days or weeks, numbers without datatypes,
headers and property names as words, labels not cut into another meaning or mid-word, the A3 sheet as
text with one link per entry, and a long evidence table cut to one row per passage and reading.
The answers for machines (JSON, CSV) keep every value as it was."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from otkg.api.pages.terms import (
    distinct_cuts,
    duration,
    heading,
    plain,
    sheet_cell,
    short,
    whole_words_after,
    whole_words_before,
)

ID = "https://w3id.org/otkg/id/"


@pytest.mark.parametrize(
    "iso, said",
    [
        ("P105D", "105 days (15 weeks)"),
        ("P28D", "28 days (4 weeks)"),
        ("P84D", "84 days (12 weeks)"),
        ("P6M", "6 months"),
        ("P1Y2M", "1 year 2 months"),
        ("P1D", "1 day"),
        ("P10D", "10 days"),
    ],
)
def test_a_duration_reads_in_days_weeks_or_months(iso, said):
    assert duration(iso) == said and plain(iso) == said


@pytest.mark.parametrize("text", ["P", "Pizza", "Psychotic crisis", "P5", "5 days"])
def test_text_that_is_no_duration_is_left_alone(text):
    assert duration(text) is None and plain(text) == text


def test_a_number_reads_as_written_whatever_its_datatype():
    assert plain("1.5", "http://www.w3.org/2001/XMLSchema#decimal") == "1.5"


@pytest.mark.parametrize(
    "name, said",
    [
        ("localLow", "local low"),
        ("nationalAverage", "national average"),
        ("interventionLabel", "intervention label"),
        ("kpi", "KPI"),
        ("mohoDomain", "MOHO domain"),
        ("code", "code"),
    ],
)
def test_a_column_name_reads_as_words(name, said):
    assert heading(name) == said


def test_a_cut_label_ends_at_a_whole_word():
    assert short("Common Mental Health Problems (Low Severity with Greater Need)", 42) == (
        "Common Mental Health Problems (Low…"
    )
    assert short("Supercalifragilisticexpialidocious words", 10) == "Supercalifragilisticexpialidocious…"


def test_cut_labels_that_would_read_alike_keep_the_words_that_differ():
    cuts = distinct_cuts(
        [
            "7 (re)establishing productive or valued daily routines",
            "8 (re)establishing productive or valued roles",
            "9 lifestyle adjustment",
        ],
        30,
    )
    assert cuts == [
        "7 (re)establishing productive or valued daily…",
        "8 (re)establishing productive or valued roles",
        "9 lifestyle adjustment",
    ]


def test_context_cut_from_a_document_starts_and_ends_at_whole_words():
    assert whole_words_before("ation of the plan. ", cut=True) == "… of the plan. "
    assert whole_words_after(" and the review proc", cut=True) == " and the review …"
    assert whole_words_before("ation of the plan. ", cut=False) == "ation of the plan. "
    assert whole_words_after("end.", cut=True) == "end."


@pytest.mark.parametrize(
    "text, link_label, linked",
    [
        ("moderate: motivation", "motivation", ("moderate: ", "motivation", "")),
        ("measure: OCAIRS", "Occupational Circumstances Assessment Interview", ("measure: ", "OCAIRS", "")),
        (
            "1. building self-efficacy",
            "building self-efficacy to engage",
            ("1. ", "building self-efficacy", ""),
        ),
        (
            "motivation: setting short-term activity goals, knowing what one enjoys",
            "improved motivation for activity",
            ("", "motivation", ": setting short-term activity goals, knowing what one enjoys"),
        ),
        ("duration: 1-6 months, average 3", None, ("", "duration", ": 1-6 months, average 3")),
    ],
)
def test_a_sheet_cell_links_one_short_part_of_its_text(text, link_label, linked):
    assert sheet_cell(text, link_label, link_label is not None) == linked
    assert "".join(linked) == text


# -- pages over the real graph ------------------------------------------------------------------


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_clusters_review_interval_reads_in_weeks_and_its_properties_as_words(html):
    page = html.get("/id/cluster-2").text
    links_out = page[page.index("<h2>Links out</h2>") : page.index("<h2>Links in</h2>")]
    assert "105 days (15 weeks)" in links_out and "P105D" not in _text(links_out)
    assert "max review interval" in _text(links_out)
    assert "care cluster" in _text(page[page.index("<h1>") : page.index("</p>", page.index("<h1>"))])


def test_the_machine_answer_keeps_the_iso_duration(html):
    csv = html.get("/queries/care-clusters?format=csv").text
    assert (
        "https://w3id.org/otkg/id/cluster-2,2,Common Mental Health Problems (Low Severity with Greater Need),"
        in csv
    )
    assert ",P105D,15 weeks" in csv


def test_query_tables_show_numbers_without_datatypes_and_headers_as_words(html):
    page = html.get("/queries/quantitative-claims").text
    assert "(xsd:" not in page and "XMLSchema" not in page
    ranges = html.get("/queries/cluster-package-ranges?cluster=" + quote(ID + "cluster-2", safe="")).text
    headers = re.findall(r'<th scope="col" title="([^"]+)">([^<]+)</th>', ranges)
    assert ("providerLabel", "provider label") in headers and ("low", "low") in headers
    assert ">providerLabel<" not in ranges
    assert '<td data-label="provider label">' in ranges  # each cell names its column when stacked


def test_the_package_sheet_is_text_with_one_link_per_entry(html):
    page = html.get("/id/ot-package-cluster-2").text
    sheet = page[
        page.index('<table class="sheet">') : page.index("</table>", page.index('<table class="sheet">'))
    ]
    cells = re.findall(r"<td>(.*?)</td>", sheet, re.DOTALL)
    filled = [c for c in cells if c.strip()]
    # 35 entries (34 before the 'Adjust demands' entry, issue 21 item 1), one link each
    assert len(filled) == 35 and all(c.count("<a ") == 1 for c in filled)
    assert '>moderate: <a href="/id/ot-pkg2-challenges-1">motivation</a><' in sheet
    assert 'measure: <a href="/id/ocairs' not in sheet  # the link is the entry's, not the tool's
    assert re.search(r'measure: <a href="/id/ot-pkg2-[a-z]+-\d+">OCAIRS</a>', sheet)
    linked = sum(len(_text(a)) for a in re.findall(r"<a [^>]*>(.*?)</a>", sheet))
    assert linked < len(_text(sheet)) / 2  # under half of the sheet's text is a link (all of it was)


DOC_002_CLAIMS = 168
DOC_002_ROWS = 20  # claims quoting one passage of one property with one reading share a row


def test_a_long_evidence_table_lists_each_passage_and_reading_once(html):
    page = html.get("/trace?iri=" + quote(ID + "doc-002", safe="")).text
    table = page[page.index('<table class="provenance stack">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<td class="by">(.*?)</td>', table, re.DOTALL)
    claims = sum(r.count("<a ") for r in rows)
    assert (len(rows), claims) == (DOC_002_ROWS, DOC_002_CLAIMS)
    assert f"{DOC_002_CLAIMS} pieces of evidence" in page


def test_context_around_a_quote_is_never_cut_mid_word(html):
    page = html.get("/trace?iri=" + quote(ID + "intervention-16", safe="")).text
    contexts = re.findall(
        r'<blockquote id="passage-[^"]+">(.*?)<mark>.*?</mark>(.*?)</blockquote>', page, re.DOTALL
    )
    assert contexts
    for before, after in contexts:
        assert before == "" or before.startswith("…") or before[0].isspace() or before[0].isupper()
        assert after == "" or after.endswith("…") or after[-1].isspace() or after[-1] in ".:;)"


def test_the_home_page_leads_with_what_people_come_for_and_ends_with_the_release(html):
    page = html.get("/").text
    headings = re.findall(r'<h2 id="([^"]+)">', page)
    assert headings == [
        "find-cluster",
        "see-package",
        "look-up-intervention",
        "check-evidence",
        "contribute",
        "more",
        "release",
    ]
    start = page[: page.index('<h2 id="more">')]
    assert len(re.findall(r'<li><a href="/id/cluster-\d+">\d+ [^<]+</a></li>', start)) == 21
    assert (
        '<a href="/id/cluster-21">21 Cognitive Impairment or Dementia (High Physical or Engagement)</a>'
        in start
    )
    assert len(re.findall(r'<li><a href="/id/intervention-\d\d">\d+\. [^<]+</a></li>', start)) == 24
    assert 'href="/id/ot-package-cluster-2"' in start and 'href="/contribute"' in start
    assert "/trace?iri=" in start
    # the digests and the table of class names come after all of that; the class names collapsed
    assert "SHA-256" not in start and "otkg:" not in start
    details = page[page.index('<details class="counts-table">') :]
    assert details.index("<summary>What the graph holds: ") < details.index("<code>otkg:CareCluster</code>")


def test_entities_sharing_a_label_in_a_query_form_say_which_is_which():
    from otkg.api.pages.catalogue import distinguished

    choices = [
        (ID + "local/synthetic-a/package", "Synthetic Trust package"),
        (ID + "local/synthetic-b/package", "Synthetic Trust package"),
        (ID + "ot-package-cluster-2", "OT indicative care package for cluster 2"),
    ]
    assert distinguished(choices) == [
        (ID + "local/synthetic-a/package", "Synthetic Trust package (local/synthetic-a/package)"),
        (ID + "local/synthetic-b/package", "Synthetic Trust package (local/synthetic-b/package)"),
        (ID + "ot-package-cluster-2", "OT indicative care package for cluster 2"),
    ]


def test_the_package_form_offers_each_package_by_a_label_of_its_own(html):
    page = html.get("/queries/package-contents").text
    options = re.findall(r'<option value="https://[^"]+" title="[^"]+"[^>]*>([^<]+)</option>', page)
    assert options and len(options) == len(set(options))
