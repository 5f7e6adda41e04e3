"""Entity IRIs resolve with provenance; /trace explains a claim down to the quote; /search ranks."""

from itertools import pairwise

ID = "https://w3id.org/otkg/id/"


def test_entity_resolves_as_json_with_its_evidence(client):
    r = client.get("/id/intervention-04", headers={"accept": "application/json"})
    assert r.status_code == 200
    body = r.json()
    assert body["properties"]["http://www.w3.org/2000/01/rdf-schema#label"] == [
        {"value": "re-motivation process", "lang": "en"}
    ]
    exact = [p["exact"] for e in body["trace"]["evidence"] for p in e.get("passages", [])]
    assert "Re motivation process" in exact


def test_entity_resolves_as_turtle_and_json_ld(client):
    ttl = client.get("/id/cluster-14", headers={"accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and '"Psychotic Crisis"@en' in ttl.text
    jsonld = client.get("/id/cluster-14", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert "Psychotic Crisis" in jsonld.text


def test_claim_iris_resolve_too(client):
    r = client.get("/claim/doc-001/element-kind-core", params={"format": "json"})
    assert r.status_code == 200
    assert r.json()["properties"]["http://www.w3.org/ns/oa#hasBody"] == [{"iri": ID + "element-kind-core"}]


def test_trace_gives_quote_in_context_document_hash_offsets_and_cited_work(client):
    r = client.get("/trace", params={"iri": ID + "element-kind-variance", "context": 20})
    chain = r.json()
    claim = next(e for e in chain["evidence"] if e["evidence"].endswith("doc-001/element-kind-variance"))
    passage = claim["passages"][0]
    assert passage["exact"].startswith("Has variance elements, that are occasionally required")
    assert passage["document"]["file"] == "001_1fa9baddc84e8f8c.txt"
    assert passage["document"]["sha256"] == "ab6dd24c192800023edc84aa556765fcbd9a89be7d5c2dc2dc76edf267eb7835"
    assert len(passage["before"]) == 20 and passage["end"] - passage["start"] == len(passage["exact"])
    assert [c["reference"] for c in claim["cites"]] == [ID + "pbr-che-2009"]


def test_trace_names_policy_sources_of_an_entity(client):
    chain = client.get("/trace", params={"iri": ID + "rr-recovery-approach"}).json()
    policies = {p["policy"] for p in chain["policySources"]}
    assert ID + "nsf-mental-health" in policies


def test_trace_of_an_external_fact_names_its_public_source(client):
    chain = client.get("/trace", params={"iri": ID + "cluster-21"}).json()
    sources = {e.get("source") for e in chain["evidence"] if e["kind"] == "curated"}
    assert sources == {"https://pmc.ncbi.nlm.nih.gov/articles/PMC6946607/table/Tab1"}


def test_search_ranks_label_matches_first(client):
    hits = client.get("/search", params={"q": "vocational enablement"}).json()["hits"]
    assert hits[0]["entity"] == ID + "intervention-23"
    assert all(h["score"] >= n["score"] for h, n in pairwise(hits))


def test_search_finds_words_in_quotes_and_returns_nothing_for_nonsense(client):
    hits = client.get("/search", params={"q": "Snoozelen"}).json()["hits"]
    assert ID + "intervention-12" in [h["entity"] for h in hits]
    assert client.get("/search", params={"q": "qwertyuiop"}).json()["hits"] == []


def test_the_trace_of_a_claim_is_that_claim_alone(client):
    claim = "https://w3id.org/otkg/claim/doc-001/element-kind-core"
    chain = client.get("/trace", params={"iri": claim}).json()
    assert [(e["evidence"], e["kind"]) for e in chain["evidence"]] == [(claim, "claim")]


def test_each_piece_of_evidence_is_listed_once(client):
    chain = client.get("/trace", params={"iri": ID + "intervention-04"}).json()
    listed = [e["evidence"] for e in chain["evidence"]]
    # 12 from seed 000, 7 of the care map's readings of it (3 of them its occupational areas)
    assert len(listed) == len(set(listed)) == 19
    care_map = [e for e in chain["evidence"] if "/care-map/" in e["evidence"]]
    assert len(care_map) == 7 and all(e["kind"] == "claim" and e["passages"] for e in care_map)
    # the care map's readings carry the curators' note; the occupational areas are the words of
    # the passage itself (self-care, productivity, leisure), which needs none
    areas = [e for e in care_map if "/concernsArea-" in e["evidence"]]
    assert len(areas) == 3 and all("note" in e for e in care_map if e not in areas)


def test_trace_lists_the_figures_that_support_an_entity(client):
    chain = client.get("/trace", params={"iri": ID + "pcn-ot-advanced-practitioner"}).json()
    figures = chain["figures"]
    assert figures and all(f["unit"] and f["value"] for f in figures)
    assert client.get("/trace", params={"iri": ID + "intervention-04"}).json()["figures"] == []
