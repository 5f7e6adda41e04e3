"""Questions answered from seed 003 (factsheet: occupational therapist advanced practitioner in PCNs)."""

from decimal import Decimal

ROLE = "id:pcn-ot-advanced-practitioner"


def _values(rows, key="value"):
    return [Decimal(r[key]) for r in rows]


def test_role_definition_and_purpose(ask):
    rows = ask(f"""SELECT DISTINCT ?label ?def ?purpose WHERE {{ {ROLE} a otkg:ProfessionalRole ;
        rdfs:label ?label ; skos:definition ?def ; dcterms:description ?purpose }}""")
    assert len(rows) == 1
    r = rows[0]
    assert r["label"] == "occupational therapist advanced practitioner"
    assert r["def"] == (
        "An Occupational Therapist Advanced Practitioner is an occupational therapist who may "
        "see a patient at their first point of contact or for follow up management as "
        "appropriate with the healthcare system."
    )
    assert r["purpose"].startswith(
        "Occupational therapists work with those across the life span who experience"
    )
    assert r["purpose"].endswith(
        "This helps to increase an individual’s independence and satisfaction in all aspects of their life."
    )


def test_what_the_role_would_be_able_to_do(ask):
    rows = ask(f"""SELECT DISTINCT ?def WHERE {{ {ROLE} otkg:specifies ?i . ?i a otkg:Intervention ;
        skos:definition ?def }}""")
    assert len(rows) == 29
    bullets = sorted(r["def"] for r in rows if r["def"][0].islower() and not r["def"].startswith("the "))
    assert bullets == sorted(
        [
            "address a person’s reengagement in the occupations that are important to them",
            "advise patients, and their families or carers, on specialist equipment and organisations that can help with daily activities",
            "as required, advise on home, school, and workplace environmental alterations, such as adjustments for wheelchair access, technological needs, and ergonomic support",
            "assess, plan, implement, and evaluate treatment plans, with an aim to increase patients’ productivity and self-care",
            "carry out workplace assessments",
            "completing an AHP Health and Fit note",
            "develop, implement and evaluate a seamless occupational therapy support service across the PCN, working with community and secondary care where appropriate, and aimed at continuously improving standards of patient care and wider multi-disciplinary team working",
            "help patients to adapt to and manage their physical and mental health long-term conditions, through the teaching of coping strategies",
            "improve their personal resilience through exploring support networks and community resources",
            "periodically review, evaluate and change rehabilitation programmes to rebuild lost skills and restore confidence",
            "providing Occupational Therapy intervention to proactively resolve health and social issues at an early stage, minimizing crisis situations that result in inappropriate presentation to secondary care",
            "support with return to work plans through workplace discussions",
            "undertake both verbal and non-verbal communication methods to address the needs of patients that have communication difficulties",
            "where appropriate, support the development of discharge and contingency plans with relevant professionals to arrange on-going care in residential, care home, hospital, and community settings",
            "work in partnership with multi-disciplinary team colleagues, physiotherapists and social workers, alongside the patients' families, teachers, carers, and employers in treatment planning to aid rehabilitation",
            "work with patients through a shared-decision making approach to plan realistic, outcomes-focused goals",
        ]
    )


def test_treatment_planning_concerns_productivity_and_self_care(ask):
    rows = ask("""SELECT DISTINCT ?area WHERE { id:pcn-int-treatment-plans otkg:concernsArea/rdfs:label ?area }
        ORDER BY ?area""")
    assert [r["area"] for r in rows] == ["productivity", "self-care"]


def test_hcpc_registration_every_two_years(ask):
    rows = ask(f"""SELECT DISTINCT ?period ?body ?url ?text WHERE {{ {ROLE} otkg:specifies ?r .
        ?r a otkg:Requirement ; otkg:renewalPeriod ?period ; otkg:text ?text ;
           otkg:registeredWith ?b . ?b a otkg:ProfessionalBody ; rdfs:label ?body ; otkg:url ?url }}""")
    assert rows == [
        {
            "period": "P2Y",
            "body": "Health and Care Professions Council",
            "url": "https://www.hcpc-uk.org/",
            "text": "Mandatory registration very 2 years with Health and Care Professions Council",
        }
    ]


def test_key_professional_bodies(ask):
    rows = ask("""SELECT DISTINCT ?label ?url WHERE { VALUES ?b { id:hcpc id:cot }
        ?b a otkg:ProfessionalBody ; rdfs:label ?label ; otkg:url ?url } ORDER BY ?label""")
    assert rows == [
        {"label": "College of Occupational Therapists", "url": "https://www.rcot.co.uk/"},
        {"label": "Health and Care Professions Council", "url": "https://www.hcpc-uk.org/"},
    ]


def test_cot_and_rcot_are_one_body_renamed_in_2017(ask):
    rows = ask("""SELECT DISTINCT ?alt WHERE { id:cot skos:altLabel ?alt } ORDER BY ?alt""")
    assert [r["alt"] for r in rows] == ["COT", "RCOT", "Royal College of Occupational Therapists"]
    [note] = ask("""SELECT ?note WHERE { id:cot skos:historyNote ?note }""")
    assert note["note"] == "renamed the Royal College of Occupational Therapists on 19 April 2017"
    assert ask("""SELECT ?p WHERE { { id:rcot ?p ?o } UNION { ?s ?p id:rcot } }""") == []


def test_requirements_of_the_role(ask):
    rows = ask(f"""SELECT DISTINCT ?label WHERE {{ {ROLE} otkg:specifies ?r . ?r a otkg:Requirement ;
        rdfs:label ?label }} ORDER BY ?label""")
    assert [r["label"] for r in rows] == [
        "80:20 split of direct clinical care to supporting professional activities",
        "AHP job planning",
        "AP roles graded at indicative band 7 or above",
        "BSc or pre-registration MSc in occupational therapy",
        "HCPC registration",
        "band 7 experienced autonomous clinical practice",
        "clinical practice at masters level",
        "clinical supervision and professional support",
        "on the pathway to level 7 in all 4 pillars of advanced practice",
    ]


def test_des_service_specifications_the_role_supports(ask):
    rows = ask(f"""SELECT DISTINCT ?label ?n ?parent WHERE {{ {ROLE} otkg:alignsWith ?s .
        ?s a otkg:ServiceSpecification ; rdfs:label ?label ; skos:notation ?n ;
           dcterms:isPartOf/rdfs:label ?parent }} ORDER BY ?n""")
    assert rows == [
        {
            "label": "Network Contract DES 7.3 Enhanced Health in Care Homes",
            "n": "7.3",
            "parent": "Network Contract Directed Enhanced Service",
        },
        {
            "label": "Network Contract DES 7.4 Early Cancer Diagnosis",
            "n": "7.4",
            "parent": "Network Contract Directed Enhanced Service",
        },
    ]
    rows = ask("""SELECT DISTINCT ?i WHERE { ?x otkg:alignsWith id:pcn-des-7-3-ehch ; a otkg:Intervention ;
        rdfs:label ?i }""")
    assert rows == [{"i": "personalised care and support plans in aligned care homes"}]


def test_figures_from_the_promoting_occupational_therapy_report(ask):
    rows = ask("""SELECT DISTINCT ?value ?unit ?qualifier WHERE { ?q otkg:statisticSource id:pcn-promoting-ot-report ;
        otkg:value ?value ; otkg:unit ?unit . OPTIONAL { ?q otkg:qualifier ?qualifier } } ORDER BY ?value""")
    assert [(Decimal(r["value"]), r["unit"], r["qualifier"]) for r in rows] == [
        (Decimal("33.3"), "percent", "about"),
        (Decimal("45"), "percent", None),
        (Decimal("31400"), "occupational therapists", "more than"),
    ]
    rows = ask("""SELECT DISTINCT ?title WHERE { ?c cito:cites ?w ; oa:hasBody id:pcn-stat-social-care-referrals .
        ?w otkg:titleAsGiven ?title }""")
    assert rows == [
        {"title": "Promoting Occupational Therapy - Occupational Therapy improving lives saving money"}
    ]


def test_return_to_work_figures_for_vocational_clinics(ask):
    rows = ask("""SELECT DISTINCT ?value ?unit ?qualifier WHERE { ?q otkg:supportsIntervention id:pcn-int-vocational-clinics ;
        otkg:value ?value ; otkg:unit ?unit ; otkg:qualifier ?qualifier } ORDER BY ?value""")
    assert [(Decimal(r["value"]), r["unit"], r["qualifier"]) for r in rows] == [
        (Decimal("3"), "fit notes per person", "on average"),
        (Decimal("50"), "percent", "about"),
        (Decimal("93"), "percent", "up to"),
    ]


def test_frailty_figures_and_the_interventions_they_support(ask):
    rows = ask("""SELECT DISTINCT ?value ?unit ?i WHERE { ?q a otkg:QuantitativeClaim ; otkg:value ?value ; otkg:unit ?unit ;
        otkg:supportsIntervention ?x . ?x rdfs:label ?i .
        VALUES ?x { id:pcn-int-home-hazards-assessment id:pcn-int-ot-paramedic-working } } ORDER BY ?value""")
    assert [(Decimal(r["value"]), r["unit"], r["i"]) for r in rows] == [
        (Decimal("3"), "GBP saved per GBP spent", "home hazards assessment"),
        (Decimal("75"), "percent", "occupational therapists working with paramedics"),
        (Decimal("80"), "percent", "home hazards assessment"),
    ]


def test_mental_health_figures(ask):
    rows = ask("""SELECT DISTINCT ?value ?unit ?population WHERE { ?q a otkg:QuantitativeClaim ; otkg:value ?value ;
        otkg:unit ?unit ; otkg:population ?population .
        VALUES ?q { id:pcn-stat-gp-practices-mh-professionals id:pcn-stat-mh-support-in-primary-care
                    id:pcn-stat-mh-service-savings } } ORDER BY ?value""")
    assert [(Decimal(r["value"]), r["unit"], r["population"]) for r in rows] == [
        (Decimal("5"), "percent", "GP practices"),
        (Decimal("90"), "percent", "people with mental health conditions"),
        (Decimal("140000"), "GBP", "occupational therapy led primary care mental health services"),
    ]


def test_job_planning_time_split(ask):
    rows = ask("""SELECT DISTINCT ?label ?part ?src WHERE { ?r a otkg:Requirement ; rdfs:label ?label ;
        dcterms:isPartOf ?p ; otkg:alignsWith ?g . ?p rdfs:label ?part . ?g rdfs:label ?src .
        FILTER (?g = id:pcn-ahp-job-planning-guidance) }""")
    assert rows == [
        {
            "label": "80:20 split of direct clinical care to supporting professional activities",
            "part": "AHP job planning",
            "src": "national guidance on AHP job planning",
        }
    ]


def test_requirement_figures_are_requirements_of_the_role_not_evidence(ask):
    # Band 7, level 7 in all 4 pillars, registration every 2 years and the 80:20 split are
    # conditions set for the role: requirements it specifies (test_requirements_of_the_role), not
    # figures supporting its effect.
    rows = ask(f"""SELECT ?q WHERE {{ ?q otkg:supportsIntervention {ROLE} ; otkg:unit ?unit .
        FILTER (?unit IN ("pay band", "academic level", "pillars of advanced practice", "years", "percent of time")) }}""")
    assert rows == []
    rows = ask("SELECT ?p WHERE { id:pcn-req-hcpc-registration otkg:renewalPeriod ?p }")
    assert rows == [{"p": "P2Y"}]


def test_band_and_level_come_from_the_acp_framework(ask):
    rows = ask("""SELECT DISTINCT ?label ?url WHERE { ?r a otkg:Requirement ; rdfs:label ?label ; otkg:alignsWith ?f .
        ?f a otkg:NationalFramework ; otkg:url ?url ;
           otkg:titleAsGiven "national multi-professional framework for advanced clinical practice in England" }
        ORDER BY ?label""")
    assert [r["label"] for r in rows] == [
        "AP roles graded at indicative band 7 or above",
        "band 7 experienced autonomous clinical practice",
        "clinical practice at masters level",
        "on the pathway to level 7 in all 4 pillars of advanced practice",
    ]
    assert {r["url"] for r in rows} == {
        "https://www.hee.nhs.uk/sites/default/files/documents/"
        "Multi-professional%20framework%20for%20advanced%20clinical%20practice%20in%20England.pdf"
    }


def test_advanced_clinical_practice_definition_and_its_curated_source(ask):
    rows = ask("""SELECT DISTINCT ?text ?concept WHERE { ?d a otkg:ConceptDefinition ; otkg:defines ?c ; otkg:text ?text .
        ?c rdfs:label ?concept . FILTER (?c = id:pcn-advanced-clinical-practice) }""")
    assert rows == [
        {
            "concept": "advanced clinical practice",
            "text": "a level of practice characterised by a high degree of autonomy and complex decision "
            "making… It includes the analysis and synthesis of complex problems across a range of "
            "settings, enabling innovative solutions to enhance people’s experience and improve "
            "outcomes",
        }
    ]
    rows = ask("""SELECT DISTINCT ?who WHERE { ?st rdf:subject id:pcn-acp-definition ; rdf:predicate cito:citesAsEvidence ;
        rdf:object id:pcn-hee-acp-framework . ?e otkg:supports ?st ; a otkg:CuratedLink ;
        prov:wasAttributedTo ?who ; otkg:curationNote ?note }""")
    assert rows == [{"who": "https://w3id.org/otkg/id/otkg-curators"}]


def test_triple_integration_points(ask):
    rows = ask(
        """SELECT DISTINCT ?point WHERE { id:pcn-triple-integration otkg:definitionPoint ?point } ORDER BY ?point"""
    )
    assert [r["point"] for r in rows] == [
        "health and social care",
        "physical and mental health care",
        "primary and specialist care",
    ]
    rows = ask(
        f"""SELECT DISTINCT ?s WHERE {{ {ROLE} otkg:alignsWith ?p . ?p a otkg:Strategy ; rdfs:label ?s }}"""
    )
    assert rows == [{"s": "triple integration agenda"}]


def test_rcot_2019_evidence_for_mental_health_outcomes(ask):
    rows = ask("""SELECT DISTINCT ?outcome WHERE { ?c cito:cites ?w ; oa:hasBody ?f . ?w otkg:citationKey "RCOT, 2019" ;
        otkg:url ?url . ?f a otkg:Finding ; otkg:mentions/rdfs:label ?outcome } ORDER BY ?outcome""")
    assert [r["outcome"] for r in rows] == [
        "better understanding of own mental health and wellbeing",
        "improved confidence and self-esteem",
        "improved social connections",
        "more meaningful, structured daily routine",
        "transition out of secondary mental health care",
    ]


def test_talent_pipeline_and_retention_points(ask):
    rows = ask("""SELECT DISTINCT ?topic ?text WHERE { ?f a otkg:Finding ; otkg:concernsDomain ?t ; otkg:text ?text .
        ?t rdfs:label ?topic . VALUES ?t { id:pcn-topic-talent-pipeline id:pcn-topic-attracting-retaining } }
        ORDER BY ?topic ?text""")
    assert [(r["topic"], r["text"]) for r in rows] == [
        (
            "attracting and retaining talent",
            "The occupational therapists working within PCN’s would be able to "
            "support students on clinical placements from other professions as well as occupational therapy "
            "contributing towards a rich multi-professional learning experience.",
        ),
        (
            "attracting and retaining talent",
            "opportunities in PCN’s would be an attractive option for career "
            "development and improved retention working collaboratively with colleagues in social services, "
            "community and secondary care services.",
        ),
        ("pipeline of available talent in Dorset ICS", "Development of apprenticeships"),
        (
            "pipeline of available talent in Dorset ICS",
            "risk of destabilisation of a stretched workforce if "
            "PCN’s recruit directly and not in collaboration with another organisation",
        ),
        ("pipeline of available talent in Dorset ICS", "some challenges recruiting & retaining at a band 6"),
        (
            "pipeline of available talent in Dorset ICS",
            "strong local pipeline with BU training occupational therapists",
        ),
    ]


def test_registration_link_traces_to_its_passage(ask):
    rows = ask(f"""SELECT DISTINCT ?exact ?start ?end WHERE {{
        ?st rdf:subject {ROLE} ; rdf:predicate otkg:registeredWith ; rdf:object id:hcpc .
        ?c otkg:supports ?st ; a otkg:Claim ; oa:hasTarget ?t . ?t oa:hasSelector ?q, ?p .
        ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }}""")
    assert len(rows) == 1
    assert rows[0]["exact"] == "Mandatory registration very 2 years with Health and Care Professions Council"
    assert int(rows[0]["end"]) - int(rows[0]["start"]) == len(rows[0]["exact"])


def test_the_role_is_supported_by_figures_of_effect_not_by_workforce_counts(ask):
    # Issue 21, item 1: "more than 31 400 occupational therapists in England, a third of which work
    # in mental health" counts the profession's workforce; it says nothing of what the role achieves,
    # so it is no longer evidence for it. The figures stay, with their source.
    rows = ask(f"""SELECT ?q ?value ?unit WHERE {{ ?q otkg:supportsIntervention {ROLE} ; otkg:value ?value ;
        otkg:unit ?unit }} ORDER BY ?q""")
    assert [
        (r["q"].removeprefix("https://w3id.org/otkg/id/"), Decimal(r["value"]), r["unit"]) for r in rows
    ] == [
        ("pcn-stat-confident-self-manage", Decimal("74"), "percent"),
        ("pcn-stat-gp-practices-mh-professionals", Decimal("5"), "percent"),
        ("pcn-stat-mh-support-in-primary-care", Decimal("90"), "percent"),
        ("pcn-stat-social-care-referrals", Decimal("45"), "percent"),
    ]
    rows = ask("""SELECT ?q ?source WHERE { ?q otkg:statisticSource ?s . ?s otkg:titleAsGiven ?source .
        VALUES ?q { id:pcn-stat-ots-in-england id:pcn-stat-ots-in-mental-health } } ORDER BY ?q""")
    assert [r["source"] for r in rows] == [
        "Promoting Occupational Therapy - Occupational Therapy improving lives saving money"
    ] * 2
