"""Questions answered from seed 001 (PbR blog post on defined interventions and packages of care)."""

from decimal import Decimal


def test_package_element_kinds_and_their_definitions(ask):
    rows = ask("""SELECT DISTINCT ?id ?label ?def WHERE {
        ?k a otkg:PackageElementKind ; skos:inScheme id:element-kinds ;
           rdfs:label ?label ; skos:definition ?def .
        BIND (STRAFTER(STR(?k), STR(id:)) AS ?id) } ORDER BY ?id""")
    assert rows == [
        {
            "id": "element-kind-core",
            "label": "core",
            "def": "a core element, which all users in the cluster will receive",
        },
        {
            "id": "element-kind-essential",
            "label": "essential",
            "def": "essential elements, which only some users in the cluster will receive",
        },
        {
            "id": "element-kind-variance",
            "label": "variance",
            "def": "variance elements, that are occasionally required",
        },
    ]


def test_element_kind_definitions_cite_che_2009(ask):
    rows = ask("""SELECT DISTINCT ?key WHERE {
        ?c oa:hasBody ?k ; cito:cites ?ref . ?k a otkg:PackageElementKind .
        ?ref otkg:citationKey ?key }""")
    assert rows == [{"key": "CHE, 2009"}]


def test_trust_standardised_packages_have_core_essential_and_variance_elements(ask):
    rows = ask("""SELECT DISTINCT ?kind WHERE {
        id:pbr-trust-standard-packages a otkg:CarePackage ; otkg:hasElement ?e .
        ?e otkg:elementKind ?k . ?k rdfs:label ?kind } ORDER BY ?kind""")
    assert [r["kind"] for r in rows] == ["core", "essential", "variance"]
    rows = ask("""SELECT DISTINCT ?who ?what WHERE { id:pbr-trust-standard-packages
        prov:wasAttributedTo/rdfs:label ?who ; dcterms:description ?what }""")
    assert rows == [
        {
            "who": "an unnamed specialist mental health trust",
            "what": "Describes what activities are needed to meet identified needs",
        }
    ]


def test_trust_packages_inform_not_supersede_and_follow_nice_guidance(ask):
    rows = ask("""SELECT DISTINCT ?note ?policy WHERE { id:pbr-trust-standard-packages
        skos:scopeNote ?note ; otkg:alignsWith/rdfs:label ?policy }""")
    assert rows == [
        {
            "note": "The care packages are designed to inform, but not supersede, clinical decisions",
            "policy": "NICE guidance",
        }
    ]


def test_every_in_text_citation_is_a_work_with_its_key(ask):
    rows = ask("""SELECT DISTINCT ?key ?pub ?year ?date WHERE {
        ?w otkg:citationKey ?key ; otkg:publisherAsGiven ?pub ; otkg:yearAsGiven ?year ;
           dcterms:date ?date .
        FILTER STRSTARTS(STR(?w), STR(id:pbr-)) } ORDER BY ?key""")
    assert rows == [
        {"key": "CHE, 2009", "pub": "CHE", "year": "2009", "date": "2009"},
        {"key": "DH, 2010", "pub": "DH", "year": "2010", "date": "2010"},
        {"key": "DH, 2011b", "pub": "DH", "year": "2011b", "date": "2011"},
        {"key": "DH, 2013", "pub": "DH", "year": "2013", "date": "2013"},
        {"key": "MHN, 2011b", "pub": "MHN", "year": "2011b", "date": "2011"},
        {"key": "RCP, 2012", "pub": "RCP", "year": "2012", "date": "2012"},
    ]


def test_department_of_health_works_are_guidance_it_published(ask):
    rows = ask("""SELECT DISTINCT ?key WHERE { ?w a otkg:Guideline ; otkg:citationKey ?key ;
        dcterms:publisher id:dept-of-health . FILTER STRSTARTS(STR(?w), STR(id:pbr-)) } ORDER BY ?key""")
    assert [r["key"] for r in rows] == ["DH, 2010", "DH, 2011b", "DH, 2013"]


def test_positions_of_the_department_of_health(ask):
    rows = ask("""SELECT DISTINCT ?kind ?text (GROUP_CONCAT(DISTINCT ?key; separator="|") AS ?keys) WHERE {
        ?p prov:wasAttributedTo id:dept-of-health ; a ?cls ; otkg:text ?text .
        ?cls rdfs:label ?kind .
        ?c oa:hasBody ?p ; otkg:recordId ?rid ; cito:cites/otkg:citationKey ?key .
        FILTER (?rid = STRAFTER(STR(?p), STR(id:)))
        FILTER (STRSTARTS(STR(?cls), STR(otkg:)))
    } GROUP BY ?kind ?text ORDER BY ?text""")
    assert [(r["kind"], r["text"], sorted(r["keys"].split("|"))) for r in rows] == [
        (
            "recommendation",
            "clusters themselves shouldn’t define appropriate interventions and treatments",
            ["DH, 2011b", "DH, 2013"],
        ),
        (
            "finding",
            "most interventions are well defined by NICE / SCIE professional guidelines and "
            "associated standards and outcomes (including those of CQC)",
            ["DH, 2011b", "DH, 2013"],
        ),
        ("finding", "what care options are available to people are developed locally", ["DH, 2010"]),
    ]


def test_guidelines_and_standards_that_define_interventions(ask):
    rows = ask("""SELECT DISTINCT ?doc ?publisher WHERE {
        id:pbr-dh-interventions-defined-by-guidelines otkg:mentions ?d .
        ?d rdfs:label ?doc ; dcterms:publisher/rdfs:label ?publisher } ORDER BY ?doc ?publisher""")
    assert rows == [
        {"doc": "CQC standards and outcomes", "publisher": "CQC"},
        {
            "doc": "NICE / SCIE professional guidelines",
            "publisher": "National Institute for Health and Clinical Excellence",
        },
        {"doc": "NICE / SCIE professional guidelines", "publisher": "Social Care Institute for Excellence"},
    ]


def test_rcp_statement_is_quoted_and_cites_rcp_2012(ask):
    rows = ask("""SELECT DISTINCT ?text ?key WHERE { id:pbr-rcp-evidence-based-packages
        prov:wasAttributedTo id:rcpsych ; otkg:text ?text ;
        cito:citesAsEvidence/otkg:citationKey ?key }""")
    assert len(rows) == 1  # the post's "RCP" is the Royal College of Psychiatrists of seed 002
    assert rows[0]["key"] == "RCP, 2012"
    assert rows[0]["text"].startswith(
        "Evidence-based interventions care packages and pathways must be "
        "based on the most effective treatments"
    )
    assert rows[0]["text"].endswith(
        "National Institute for Health and Clinical Excellence/Social Care "
        "Institute for Excellence guidelines."
    )


def test_mhn_progress_figures_by_2011(ask):
    rows = ask("""SELECT DISTINCT ?value ?unit ?qualifier ?period ?measure WHERE {
        ?q a otkg:QuantitativeClaim ; otkg:value ?value ; otkg:unit ?unit ; otkg:measure ?measure ;
           otkg:periodAsGiven ?period ; otkg:statisticSource id:pbr-mhn-2011b .
        OPTIONAL { ?q otkg:qualifier ?qualifier } } ORDER BY ?value""")
    assert [(Decimal(r["value"]), r["unit"], r["qualifier"], r["period"], r["measure"]) for r in rows] == [
        (
            Decimal("33.3"),
            "percent",
            "about",
            "by 2011",
            "share of trusts that had made considerable "
            "progress in defining interventions and packages of care for each cluster",
        ),
        (
            Decimal("50"),
            "percent",
            None,
            "by 2011",
            "share of trusts that had not started defining "
            "interventions and packages of care for each cluster",
        ),
    ]


def test_half_of_trusts_figure_traces_to_its_passage(ask):
    # entity -> the claim supporting its value -> target passage -> exact text and offsets
    rows = ask("""SELECT DISTINCT ?exact ?start ?end ?file ?prefix WHERE {
        ?st rdf:subject id:pbr-stat-trusts-not-started ; rdf:predicate otkg:value .
        ?c otkg:supports ?st ; oa:hasBody id:pbr-stat-trusts-not-started ; oa:hasTarget ?t .
        ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p . ?doc otkg:fileName ?file .
        ?q oa:exact ?exact ; oa:prefix ?prefix . ?p oa:start ?start ; oa:end ?end }""")
    assert len(rows) == 1
    r = rows[0]
    assert (r["exact"], r["file"]) == ("half", "001_1fa9baddc84e8f8c.txt")
    assert int(r["end"]) - int(r["start"]) == 4
    assert r["prefix"].endswith("made considerable progress and ")
    rows = ask("""SELECT DISTINCT ?exact WHERE { ?c oa:hasBody id:pbr-stat-trusts-not-started ;
        cito:cites id:pbr-mhn-2011b ; oa:hasTarget/oa:hasSelector/oa:exact ?exact }""")
    assert rows == [{"exact": "half had not started (MHN, 2011b:6)"}]


def test_che_2009_is_cited_by_four_passages(ask):
    rows = ask(
        """SELECT DISTINCT ?rid WHERE { ?c cito:cites id:pbr-che-2009 ; otkg:recordId ?rid } ORDER BY ?rid"""
    )
    assert [r["rid"] for r in rows] == [
        "element-kind-core",
        "element-kind-essential",
        "element-kind-variance",
        "pbr-che-less-consensus",
        "pbr-trust-standard-packages",
    ]


def test_imhsec_project_takes_a_similar_approach(ask):
    rows = ask("""SELECT DISTINCT ?label ?d WHERE { id:pbr-imhsec a prov:Activity ; rdfs:label ?label ;
        dcterms:description ?d }""")
    assert rows == [
        {"label": "IMHSEC project", "d": "The IMHSEC project / resource also takes a similar approach"}
    ]
