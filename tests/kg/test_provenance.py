"""Provenance integrity: every selector points at exactly its quoted text in its document."""


def _selectors(ask):
    return ask("""SELECT ?file ?exact ?prefix ?suffix ?start ?end WHERE {
        ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
        ?doc otkg:fileName ?file .
        ?q oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
        ?p oa:start ?start ; oa:end ?end . }""")


def test_every_selector_slice_equals_its_exact_text(ask, assembled):
    texts = {d.file: d.text for d in assembled.documents.values()}
    rows = _selectors(ask)
    assert len(rows) > 0
    bad = [r for r in rows if texts[r["file"]][int(r["start"]) : int(r["end"])] != r["exact"]]
    assert bad == []


def test_every_selector_prefix_and_suffix_surround_the_slice(ask, assembled):
    texts = {d.file: d.text for d in assembled.documents.values()}
    bad = []
    for r in _selectors(ask):
        text, start, end = texts[r["file"]], int(r["start"]), int(r["end"])
        if not (text[:start].endswith(r["prefix"]) and text[end:].startswith(r["suffix"])):
            bad.append(r)
    assert bad == []


def test_every_claim_is_quoted_from_a_pinned_source_document(ask):
    rows = ask("""SELECT (COUNT(?c) AS ?n) WHERE { ?c a otkg:Claim .
        FILTER NOT EXISTS { ?c prov:wasQuotedFrom ?d . ?d otkg:sha256 ?h } }""")
    assert rows == [{"n": "0"}]


def test_every_entity_triple_is_reified_and_supported(ask):
    rows = ask("""SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o .
        FILTER STRSTARTS(STR(?s), "https://w3id.org/otkg/id/")
        FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                            ?e otkg:supports ?st } }""")
    assert rows == [{"n": "0"}]
