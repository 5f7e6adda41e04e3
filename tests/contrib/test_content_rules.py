"""What an upload may say (kg.contrib.content_rules): each rule fires on the triple that breaks it,
and the real packages (a Trust's sheet, a synthetic Trust's RDF) break none."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from otkg.kg.contrib.content_rules import Vocabulary, formula_like, offences
from otkg.kg.pipeline import upload
from otkg.kg.pipeline.scale import trust_upload
from otkg.kg.terms import load_ontology

ID, CLAIM, ONT = (
    "https://w3id.org/otkg/id/",
    "https://w3id.org/otkg/claim/",
    "https://w3id.org/otkg/ontology#",
)
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWN = f"<{ID}local/trust-x/package>"
PREFIXES = (
    f"@prefix rdfs: <{RDFS}> . @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix otkg: <{ONT}> .\n"
)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_ontology(load_ontology())


def rules_broken(vocab, turtle: str, slug: str = "trust-x") -> list[str]:
    triples = upload.parse((PREFIXES + turtle).encode(), ox.RdfFormat.TURTLE, upload.graph_iri(slug))
    return [o.rule for o in offences(triples, slug, vocab)]


CASES = [
    ("ontology axiom", "otkg:CareCluster rdfs:subClassOf owl:Nothing .", "subject: an ontology term"),
    ("second label on a class", 'otkg:CareCluster rdfs:label "cluster"@en .', "subject: an ontology term"),
    ("national entity", f'<{ID}intervention-04> rdfs:label "HACKED" .', "subject: a national entity"),
    (
        "national claim",
        f"<{CLAIM}doc-000/x> <http://www.w3.org/ns/oa#hasBody> {OWN} .",
        "subject: a national claim",
    ),
    ("outside otkg", '<http://evil.example/x> rdfs:label "x" .', "subject: outside otkg"),
    (
        "another Trust",
        f'<{ID}local/trust-y/package> rdfs:label "x" .',
        "subject: another Trust's IRI (local graph 'trust-y')",
    ),
    (
        "a slug's prefix",
        f'<{ID}local/trust-x-2/package> rdfs:label "x" .',
        "subject: another Trust's IRI (local graph 'trust-x-2')",
    ),
    ("blank node", '[] rdfs:label "x" .', "blank node"),
    ("sameAs", f"{OWN} owl:sameAs <{ID}ot-package-cluster-2> .", "changes what terms mean by reasoning"),
    ("unknown predicate", f'{OWN} <http://evil.example/p> "x" .', "is neither an otkg property"),
    ("national kind", f"{OWN} a otkg:CareCluster .", "type <https://w3id.org/otkg/ontology#CareCluster>"),
    (
        "property characteristic",
        f"{OWN} a owl:TransitiveProperty .",
        "type <http://www.w3.org/2002/07/owl#TransitiveProperty>",
    ),
    (
        "curated link",
        f"<{CLAIM}local/trust-x/c> a otkg:CuratedLink .",
        "type <https://w3id.org/otkg/ontology#CuratedLink>",
    ),
    (
        "supports a national statement",
        f"<{CLAIM}local/trust-x/c> otkg:supports <https://w3id.org/otkg/statement/0123456789abcdef0123> .",
        "otkg:supports",
    ),
    (
        "foreign statement subject",
        '<https://w3id.org/otkg/statement/0123456789abcdef0123> rdfs:label "x" .',
        "subject: a statement that is not",
    ),
    (
        "body elsewhere",
        f"<{CLAIM}local/trust-x/c> <http://www.w3.org/ns/oa#hasBody> <{ID}intervention-04> .",
        "oa:hasBody",
    ),
    (
        "points at another Trust",
        f"{OWN} otkg:adaptedFrom <{ID}local/trust-y/package> .",
        "object: another Trust's IRI",
    ),
    (
        "points at a national claim",
        f"{OWN} otkg:adaptedFrom <{CLAIM}doc-000/x> .",
        "object: a national claim",
    ),
    ("javascript IRI", f"{OWN} rdfs:seeAlso <javascript:alert(1)> .", "only http(s) IRIs"),
    ("formula", f'{OWN} rdfs:label "=HYPERLINK(\\"http://evil.example\\",\\"x\\")" .', "spreadsheet formula"),
    ("plus", f"{OWN} rdfs:label \"+cmd|' /C calc'!A0\" .", "spreadsheet formula"),
    ("at", f'{OWN} rdfs:label "@SUM(1+1)" .', "spreadsheet formula"),
    ("tab", f'{OWN} rdfs:label "\\t=1" .', "spreadsheet formula"),
]


@pytest.mark.parametrize("turtle,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_names_the_triple_that_breaks_it(vocab, turtle, expected):
    broken = rules_broken(vocab, turtle)
    assert len(broken) == 1 and expected in broken[0], broken


def test_own_statements_are_those_of_the_uploads_own_triples(vocab):
    from otkg.kg.pipeline.assemble import statement_iri
    from rdflib import Literal, URIRef

    s, p, o = URIRef(f"{ID}local/trust-x/package"), URIRef(RDFS + "label"), Literal("our package")
    st, claim = statement_iri(s, p, o), f"<{CLAIM}local/trust-x/c>"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    own = f"""{OWN} rdfs:label "our package" . <{st}> a <{rdf}Statement> ; <{rdf}subject> {OWN} ;
        <{rdf}predicate> rdfs:label ; <{rdf}object> "our package" . {claim} otkg:supports <{st}> ."""
    assert rules_broken(vocab, own) == []
    # the same statement IRI made to say something else is no longer the statement of its triple
    assert rules_broken(vocab, own.replace(f'<{rdf}object> "our package"', f'<{rdf}object> "other"')) == [
        "subject: a statement that is not the reified statement of one of the upload's own triples"
    ] * 4 + ["otkg:supports: a claim may support only the statements of its own upload"]


@pytest.mark.parametrize(
    "text,refused",
    [
        ("-5", False),
        ("+3.2", False),
        ("1e3", False),
        ("- walk", True),
        ("-inf", True),
        ("nan", False),
        ("walking group", False),
        (" =1+1", True),
        ("\r=1", True),
        ("a=b", False),
    ],
)
def test_formula_like_text_is_text_a_spreadsheet_would_run(text, refused):
    assert formula_like(text) is refused


def test_a_synthetic_trusts_package_breaks_no_rule(vocab):
    triples = upload.parse(trust_upload(3, "trust-x"), ox.RdfFormat.N_TRIPLES, upload.graph_iri("trust-x"))
    assert len(triples) == 20378 and offences(triples, "trust-x", vocab) == []
    # the same package uploaded under another slug describes IRIs that slug does not own
    assert len(offences(triples, "trust-z", vocab)) == 20378  # every subject is foreign to it
