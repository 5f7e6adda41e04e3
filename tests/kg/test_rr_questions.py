"""Questions about seed 002, the Rehabilitation and Recovery service specification, asked in SPARQL
of the real graph; each expected answer is taken from the document's text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

SEED = Path(__file__).parents[2] / "kg" / "seeds" / "002_4558d4013a67398f.txt"


def test_whose_definitions_of_rehabilitation_are_quoted(ask):
    rows = ask("""
        SELECT DISTINCT ?key WHERE {
          ?d a otkg:ConceptDefinition ; otkg:defines id:rr-rehabilitation .
          ?claim oa:hasBody ?d ; cito:cites ?ref .
          ?ref otkg:citationKey ?key .
        } ORDER BY ?key""")
    assert [r["key"] for r in rows] == [
        "Babiker, 1987",
        "Bennett, 1978",
        "Killaspy et al (2005)",
        "Shepherd, 1995",
        "Sullivan et al, 1992",
    ]


def test_the_six_meanings_of_recovery_come_from_nimhe_2004(ask):
    rows = ask("""
        SELECT DISTINCT ?text WHERE {
          ?d otkg:defines id:rr-recovery ; otkg:text ?text .
          ?claim oa:hasBody ?d ; cito:cites id:rr-ref-nimhe-2004-emerging .
        } ORDER BY ?text""")
    assert [r["text"] for r in rows] == [
        "A process of gaining or restoring something (e.g. being alcohol-free or drug-free)",
        "A process or period of recovering (e.g. following trauma)",
        "A return to a state of wellness (e.g. following an episode of depression)",
        "Achievement of a personally acceptable quality of life (e.g. following an episode of psychosis)",
        "Gaining benefit from apparently negative experiences (e.g. in prolonged psychosis where the "
        "experience itself has intrinsic personal value)",
        "Recovering an optimum quality and satisfaction with life in disconnected circumstances "
        "(e.g. dementia).",
    ]
    title = ask("SELECT DISTINCT ?t WHERE { id:rr-ref-nimhe-2004-emerging otkg:titleAsGiven ?t }")
    assert title == [{"t": "Emerging Best Practices in Mental Health Recovery"}]


def test_the_specification_sets_nine_aims_six_values_eight_objectives(ask):
    rows = ask("""
        SELECT DISTINCT ?cls (COUNT(DISTINCT ?x) AS ?n) WHERE {
          id:doc-002 otkg:specifies ?x . ?x a ?cls .
          VALUES ?cls { otkg:ServiceAim otkg:ServiceValue otkg:ServiceObjective otkg:ExpectedOutcome }
        } GROUP BY ?cls ORDER BY ?cls""")
    counts = {r["cls"].split("#")[1]: int(r["n"]) for r in rows}
    # 12 expected outcomes of section 1.5 plus 8 recommended outcomes of the SIRR strategy
    assert counts == {"ServiceAim": 9, "ServiceValue": 6, "ServiceObjective": 8, "ExpectedOutcome": 20}


def test_employment_rate_of_adults_with_long_term_mental_health_problems(ask):
    rows = ask("""
        SELECT DISTINCT ?v ?unit ?pop ?cmp ?title WHERE {
          id:rr-stat-employment-24 otkg:value ?v ; otkg:unit ?unit ; otkg:population ?pop ;
              otkg:comparator ?cmp ; otkg:statisticSource ?src .
          ?src otkg:titleAsGiven ?title .
        }""")
    assert len(rows) == 1
    r = rows[0]
    assert Decimal(r["v"]) == 24 and r["unit"] == "percent"
    assert r["pop"] == "adults with long terms mental health problems"
    assert r["cmp"] == "the lowest of employment rate for any of main groups of disabled people"
    assert r["title"] == "Social Exclusion and Mental Health"


def test_figures_of_social_exclusion_and_health(ask):
    rows = ask("""
        SELECT DISTINCT ?q ?v ?unit WHERE {
          VALUES ?q { id:rr-stat-isolation-84 id:rr-stat-isolation-29 id:rr-stat-rented-housing
                      id:rr-stat-life-expectancy id:rr-stat-smoking-deaths id:rr-stat-stigma-83 }
          ?q otkg:value ?v ; otkg:unit ?unit .
        }""")
    got = {r["q"].rsplit("/", 1)[1]: (Decimal(r["v"]), r["unit"]) for r in rows}
    assert got == {
        "rr-stat-isolation-84": (Decimal(84), "percent"),
        "rr-stat-isolation-29": (Decimal(29), "percent"),
        "rr-stat-rented-housing": (Decimal("1.5"), "times"),
        "rr-stat-life-expectancy": (Decimal(10), "years"),
        "rr-stat-smoking-deaths": (Decimal(2), "times"),
        "rr-stat-stigma-83": (Decimal(83), "percent"),
    }
    src = ask(
        """SELECT DISTINCT ?t WHERE { id:rr-stat-isolation-84 otkg:statisticSource/otkg:titleAsGiven ?t }"""
    )
    assert src == [{"t": "Not Alone? Isolation and mental distress"}]


def test_namhc_recovery_rates(ask):
    rows = ask("""
        SELECT DISTINCT ?pop ?v ?up WHERE {
          ?q otkg:statisticSource id:rr-ref-namhc-1993 ; otkg:population ?pop ; otkg:value ?v .
          OPTIONAL { ?q otkg:upperValue ?up }
        }""")
    got = {r["pop"]: (Decimal(r["v"]), Decimal(r["up"]) if r["up"] else None) for r in rows}
    assert got == {
        "schizophrenia": (Decimal(60), None),
        "bipolar disorder": (Decimal(80), None),
        "major depression": (Decimal(65), Decimal(80)),
        "addiction treatment": (Decimal(70), None),
    }


def test_eleven_government_and_workforce_policies_support_the_recovery_approach(ask):
    rows = ask("""
        SELECT DISTINCT ?key WHERE {
          id:rr-recovery-approach otkg:alignsWith ?p . ?p otkg:citationKey ?key .
        } ORDER BY ?key""")
    assert [r["key"] for r in rows] == [
        "Cabinet Office, 2006",
        "DCLG, 2006",
        "DH, 1999",
        "DH, 2000",
        "DH, 2005b",
        "DH, 2005c",
        "DH, 2006a",
        "DH, 2006b",
        "DH, 2007a",
        "DH, 2007b",
        "Prime Minister’s Strategy Unit, 2005",
    ]


def test_policy_initiatives_and_professional_groups_linked_to_social_inclusion(ask):
    rows = ask("""
        SELECT DISTINCT ?title ?year WHERE {
          id:rr-social-inclusion-recovery-model otkg:alignsWith ?p .
          ?p otkg:titleAsGiven ?title ; dcterms:date ?year .
        } ORDER BY ?title""")
    got = {(r["title"], r["year"]) for r in rows}
    assert got == {
        ("Our Choices in Mental Health", "2006"),
        (
            "Independence, Well-being and Choice: Our Vision for the Future of Social Care for Adults "
            "in England",
            "2005",
        ),
        ("Our Health, Our Care, Our Say: Making it Happen", "2006"),
        ("From Values to Action: The Chief Nursing Officer‘s Review of Mental Health Nursing", "2006"),
        (
            "Recovering Ordinary Lives – the Strategy for Occupational Therapy in Mental Health "
            "Services 2007-2017",
            "2006",
        ),
        ("Rehabilitation and Recovery Now", "2004"),
        ("Rehabilitation and recovery now", "2004"),
    }
    pub = ask("SELECT DISTINCT ?l WHERE { id:recovering-ordinary-lives dcterms:publisher/rdfs:label ?l }")
    assert pub == [{"l": "College of Occupational Therapists"}]


def test_what_happens_within_24_hours_and_within_7_days_of_acceptance(ask):
    rows = ask("""
        SELECT DISTINCT ?tf ?text WHERE {
          ?s a otkg:ProcessStep ; dcterms:isPartOf id:rr-assessment-process ;
             otkg:timeframe ?tf ; otkg:text ?text .
          FILTER (?tf IN ("Within 24 Hour", "Within 7 Days"))
        }""")
    got = {}
    for r in rows:
        got.setdefault(r["tf"], set()).add(r["text"])
    assert got == {
        "Within 24 Hour": {
            "Risk Assessment",
            "Spiritual Needs Assessment",
            "Physical Assessment",
            "Allocation of Named care coordinator",
        },
        "Within 7 Days": {
            "Specialist Assessments",
            "Clinical review",
            "Carers Assessment",
            "Identifying needs led care plan",
            "Health & Social Care Assessment",
        },
    }
    hours = ask("SELECT DISTINCT ?v ?u WHERE { id:rr-stat-assessment-24h otkg:value ?v ; otkg:unit ?u }")
    assert Decimal(hours[0]["v"]) == 24 and hours[0]["u"] == "hours"


def test_where_referrals_come_from(ask):
    rows = ask("""
        SELECT DISTINCT ?l WHERE { id:rr-step-referral otkg:referralSource/rdfs:label ?l } ORDER BY ?l""")
    assert [r["l"] for r in rows] == [
        "acute hospital trusts",
        "adjoining mental health trusts",
        "assertive outreach team (AOT)",
        "community mental health team (CMHT)",
        "day centres",
        "other specialist mental health services (inpatients)",
        "primary care services",
        "residential and specialist nursing homes",
    ]


def test_indicators_measured_with_face_honos_and_gaf(ask):
    rows = ask("""
        SELECT DISTINCT ?text WHERE {
          ?k a otkg:KeyPerformanceIndicator ; otkg:measuredBy id:face, id:honos, id:gaf ; otkg:text ?text .
        } ORDER BY ?text""")
    assert [r["text"] for r in rows] == [
        "Management and reduction of positive symptoms such as hallucinations and delusions",
        "Reducing the impact of negative symptoms such as apathy and withdrawal",
    ]
    star = ask("""
        SELECT DISTINCT ?text WHERE { ?k otkg:measuredBy id:recovery-star, id:dreem ; otkg:text ?text } ORDER BY ?text""")
    assert [r["text"] for r in star] == [
        "Increase in service users who (a) choose their own outcome measure, and (b) have at least two "
        "points of measurement using their chosen measure",
        "Recovery focused",
    ]


def test_indicators_justified_by_the_social_exclusion_report_and_sirr(ask):
    rows = ask("""
        SELECT DISTINCT ?src (COUNT(DISTINCT ?k) AS ?n) WHERE {
          ?k a otkg:KeyPerformanceIndicator ; otkg:alignsWith ?src .
          FILTER (?src IN (id:social-exclusion-mental-health, id:rr-sirr-strategy))
        } GROUP BY ?src""")
    counts = {r["src"].rsplit("/", 1)[1]: int(r["n"]) for r in rows}
    assert counts == {"social-exclusion-mental-health": 6, "rr-sirr-strategy": 5}
    total = ask("""
        SELECT DISTINCT ?c (COUNT(DISTINCT ?k) AS ?n) WHERE {
          id:doc-002 otkg:specifies ?k . ?k a ?c .
          VALUES ?c { otkg:KeyPerformanceIndicator otkg:QualityIndicator }
        } GROUP BY ?c""")
    # 35 activity indicators and 14 quality indicators, which the build types as indicators too
    assert {r["c"].split("#")[1]: int(r["n"]) for r in total} == {
        "KeyPerformanceIndicator": 49,
        "QualityIndicator": 14,
    }


def test_frequency_of_contact_threshold(ask):
    rows = ask("""
        SELECT DISTINCT ?m ?t WHERE { id:rr-kpi-31 otkg:measurementMethod ?m ; otkg:threshold ?t }""")
    assert rows == [{"m": "Caseload analysis", "t": "minimum of once a week"}]


def test_nsf_principles(ask):
    rows = ask("""
        SELECT DISTINCT ?l WHERE { ?p a otkg:PolicyPrinciple ; dcterms:isPartOf id:nsf-mental-health ; rdfs:label ?l }
        ORDER BY ?l""")
    assert [r["l"] for r in rows] == [
        "carer involvement",
        "evidence-based practice",
        "meeting agreed standards",
        "partnership between stakeholders",
        "social inclusion",
        "user involvement",
    ]


def test_isolation_figure_traces_to_its_passage(ask):
    # entity -> reified statement of its statisticSource triple -> claim -> target -> selectors
    rows = ask("""
        SELECT DISTINCT ?exact ?start ?src WHERE {
          ?st a rdf:Statement ; rdf:subject id:rr-stat-isolation-84 ;
              rdf:predicate otkg:statisticSource ; rdf:object ?src .
          ?claim otkg:supports ?st ; oa:hasBody id:rr-stat-isolation-84 ;
                 prov:wasQuotedFrom id:doc-002 ; oa:hasTarget ?t .
          ?t oa:hasSelector ?sel, ?pos .
          ?sel a oa:TextQuoteSelector ; oa:exact ?exact .
          ?pos a oa:TextPositionSelector ; oa:start ?start .
        }""")
    assert len(rows) == 1
    assert rows[0]["exact"].startswith("84% of people with mental health problems have felt isolated")
    assert rows[0]["exact"].endswith("(Mind; Not Alone? Isolation and mental distress, London 2004)")
    text = SEED.read_text(encoding="utf-8")
    start = int(rows[0]["start"])
    assert text[start : start + len(rows[0]["exact"])] == rows[0]["exact"]
    assert rows[0]["src"].endswith("/rr-ref-mind-2004")


def test_dreem_evidence_cites_ridgway_and_allott(ask):
    rows = ask("""
        SELECT DISTINCT ?key WHERE {
          ?claim oa:hasBody id:rr-ev-dreem-emerging ; cito:cites ?ref . ?ref otkg:citationKey ?key .
        } ORDER BY ?key""")
    assert [r["key"] for r in rows] == ["Allott et al, 2006", "Ridgway and Press, 2004"]


def test_child_protection_follows_the_children_acts(ask):
    rows = ask("""
        SELECT DISTINCT ?title ?kind WHERE {
          id:rr-req-child-protection otkg:alignsWith ?act . ?act rdfs:label ?title ; a ?kind .
          FILTER (?kind = otkg:Legislation)
        } ORDER BY ?title""")
    assert [r["title"] for r in rows] == ["Children Act 1989", "Children Act 2004"]


def test_the_specifications_children_act_2005_is_the_children_act_2004(ask):
    # The quote stays as the document has it; an erratum and one entity for the Act say what it is.
    rows = ask("""
        SELECT ?asGiven ?erratum ?title ?source ?exact WHERE {
          ?claim otkg:recordId "children-act-2004" ; prov:wasQuotedFrom id:doc-002 ;
                 oa:hasTarget/oa:hasSelector/oa:exact ?exact ; otkg:supports ?st .
          ?st rdf:subject id:children-act-2004 ; rdf:predicate otkg:titleAsGiven ; rdf:object ?asGiven .
          id:children-act-2004 otkg:erratum ?erratum ; dcterms:title ?title .
          ?est rdf:subject id:children-act-2004 ; rdf:predicate dcterms:title .
          ?ext otkg:supports ?est ; dcterms:source ?source ; otkg:verificationStatus "verified" .
        }""")
    assert rows == [
        {
            "asGiven": "Children Act 2005",
            "exact": "Children Act 2005",
            "erratum": "The specification names the 'Children Act 2005'; read as the Children Act 2004 (2004 c. 31).",
            "title": "Children Act 2004",
            "source": "https://www.legislation.gov.uk/ukpga/2004/31/contents",
        }
    ]
    notes = ask("""
        SELECT ?who WHERE {
          ?st rdf:subject id:children-act-2004 ; rdf:predicate otkg:erratum .
          ?e otkg:supports ?st ; a otkg:CuratedLink ; prov:wasAttributedTo ?who ; otkg:curationNote ?note .
        }""")
    assert notes == [{"who": "https://w3id.org/otkg/id/otkg-curators"}]
    years = ask("SELECT ?d WHERE { id:children-act-2004 dcterms:date ?d }")
    assert years == [{"d": "2004"}]
