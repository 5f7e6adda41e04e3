"""Uploads cannot hurt national pages (issue 20, item 3): with 20 Trusts' packages loaded, three
of them the same package under three slugs, /id/intervention-04, its /trace and /id/cluster-2 answer
as on a store without uploads, plus each local package's own links into them, once each; hostile
uploads are refused and change neither the store nor those pages.

Two real servers on the disk store, response cache off (so an answer is never a stored copy): one
with no uploads, one with the uploads of bench.uploaded_store."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from urllib.parse import quote

import httpx
import pytest
from otkg.kg.pipeline.assemble import statement_iri
from rdflib import RDFS, Literal, URIRef

from bench.uploaded_store import LINKED, load, uploads

from .conftest import uvicorn_server

ID, OTKG = "https://w3id.org/otkg/id/", "https://w3id.org/otkg/ontology#"
LOCAL_ID = ID + "local/"
I4 = ID + "intervention-04"
PAGES = {
    "intervention-04": "/id/intervention-04",
    "trace": "/trace?iri=" + quote(I4, safe=""),
    "cluster-2": "/id/cluster-2",
}
KINDS = {"json": "application/json", "html": "text/html"}
TOKEN = "national-pages-token"
ALL_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _server(build_dir, tmp_path_factory, name: str, **env):
    return uvicorn_server(
        build_dir,
        tmp_path_factory.mktemp(name + "-log"),
        store="disk",
        response_cache_mb=0,
        client_budget_s=100000,
        **env,
    )


@pytest.fixture(scope="module")
def empty(build_dir, tmp_path_factory):
    """A server whose store holds the release alone."""
    with _server(build_dir, tmp_path_factory, "empty", store_dir=tmp_path_factory.mktemp("empty")) as url:
        yield url


@pytest.fixture(scope="module")
def loaded(build_dir, tmp_path_factory):
    """A writable server whose store holds the release and the 20 uploads (3 synthetic Trusts'
    packages of 20,378 triples, 17 cluster 2 sheets), each checked by the write path."""
    root = tmp_path_factory.mktemp("loaded")
    done = load(root, build_dir, uploads(0))
    assert len(done.graphs) == 20
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    with _server(build_dir, tmp_path_factory, "loaded", store_dir=root, write_token_sha256=digest) as url:
        yield url, done


def fetch(url: str, page: str, kind: str) -> httpx.Response:
    r = httpx.get(url + PAGES[page], headers={"accept": KINDS[kind]}, timeout=60)
    assert r.status_code == 200, (page, kind, r.text[:500])
    return r


def quads(url: str) -> int:
    r = httpx.get(url + "/sparql", params={"query": ALL_QUADS}, headers={"accept": "text/csv"}, timeout=60)
    assert r.status_code == 200, r.text
    return int(r.text.split("\r\n")[1])


def slug_of(iri: str) -> str:
    return iri.removeprefix(LOCAL_ID).split("/", 1)[0]


# -- the national pages with uploads --------------------------------------------------------------


def test_the_trace_is_the_same_with_uploads(empty, loaded):
    for kind in KINDS:
        assert fetch(loaded[0], "trace", kind).content == fetch(empty, "trace", kind).content, kind
    found = fetch(loaded[0], "trace", "json").json()
    pieces = [e["evidence"] for e in found["evidence"]]
    # 18 claims (3 of them its occupational areas, issue 21) and one curated link, once each
    assert len(pieces) == 19 and len(set(pieces)) == 19
    for item in found["evidence"]:
        passages = [json.dumps(p, sort_keys=True) for p in item.get("passages", [])]
        assert len(passages) == len(set(passages)), item["evidence"]


@pytest.mark.parametrize("page", ["intervention-04", "cluster-2"])
def test_an_entity_answers_as_without_uploads_plus_the_packages_own_links(empty, loaded, page):
    before, after = fetch(empty, page, "json").json(), fetch(loaded[0], page, "json").json()
    assert after["properties"] == before["properties"]
    assert after["trace"] == before["trace"]
    for values in after["properties"].values():
        assert len({json.dumps(v, sort_keys=True) for v in values}) == len(values)
    links = [(x["subject"], x["predicate"]) for x in after["incoming"]]
    assert len(set(links)) == len(links)
    national = [x for x in links if not x[0].startswith(LOCAL_ID)]
    assert national == [(x["subject"], x["predicate"]) for x in before["incoming"]]


def test_intervention_04_gains_only_the_entries_that_specify_it(loaded):
    found = fetch(loaded[0], "intervention-04", "json").json()
    local = [(x["subject"], x["predicate"]) for x in found["incoming"] if x["subject"].startswith(LOCAL_ID)]
    assert {p for _, p in local} == {OTKG + "specifies"}
    by_slug = Counter(slug_of(s) for s, _ in local)
    # Trust 7's package under its three slugs: the same entries, one set per slug
    assert {s: by_slug[s] for s in ("twin-trust-a", "twin-trust-b", "twin-trust-c")} == dict.fromkeys(
        ("twin-trust-a", "twin-trust-b", "twin-trust-c"), LINKED
    )
    twins = [
        {s.rsplit("/", 1)[-1] for s, _ in local if slug_of(s) == slug}
        for slug in ("twin-trust-a", "twin-trust-b")
    ]
    assert twins[0] == twins[1]


def test_cluster_2_gains_one_package_per_upload(loaded):
    url, done = loaded
    found = fetch(url, "cluster-2", "json").json()
    local = [x["subject"] for x in found["incoming"] if x["subject"].startswith(LOCAL_ID)]
    assert all(x["predicate"] == OTKG + "forCluster" for x in found["incoming"] if x["subject"] in local)
    assert sorted(slug_of(s) for s in local) == sorted(up.slug for up in done.uploads)


def _tables(html: str) -> dict[str, list[str]]:
    """Each table's rows (their HTML), by caption."""
    out = {}
    for table in re.findall(r"<table.*?</table>", html, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        out[caption.group(1) if caption else ""] = re.findall(r"<tr>.*?</tr>", table, re.S)
    return out


def _national_part(html: str) -> str:
    """The page less its "Across Trusts" comparison (issue 21): that part sets the Trusts' packages
    side by side, so each one rightly appears in several of its tables."""
    return re.sub(r'<h2 id="across-trusts">.*?(?=<h2[ >])', "", html, flags=re.S)


@pytest.mark.parametrize("page", ["intervention-04", "cluster-2"])
def test_the_page_shows_each_row_and_each_local_link_once(empty, loaded, page):
    before = _tables(_national_part(fetch(empty, page, "html").text))
    after = _tables(_national_part(fetch(loaded[0], page, "html").text))
    for caption, rows in after.items():
        assert [r for r, n in Counter(rows).items() if n > 1] == [], caption
    for caption, rows in before.items():  # what the page said without uploads, it still says
        assert set(rows) <= set(after.get(caption, [])), caption
    added = [r for caption, rows in after.items() for r in rows if r not in before.get(caption, [])]
    added = [r for r in added if '<th scope="col">' not in r]  # a table's head, where one is new
    assert added and [r for r in added if "/id/local/" not in r] == []
    html = _national_part(fetch(loaded[0], page, "html").text)
    hrefs = Counter(re.findall(r'href="(/id/local/[^"#]+)"', html))
    assert [h for h, n in hrefs.items() if n > 1] == []


def test_the_cluster_page_lists_each_package_in_its_care_map_only(loaded):
    url, done = loaded
    html = fetch(url, "cluster-2", "html").text
    tables = _tables(html)
    care = next(rows for caption, rows in tables.items() if caption.startswith("National and Trusts"))
    assert len(care) == 1 + 1 + len(done.uploads)  # the header, the national package, one per upload
    links_in = next(
        (rows for caption, rows in _tables(html).items() if caption.startswith("What points at")), []
    )
    assert not [r for r in links_in if "forCluster" in r]


# -- hostile uploads ------------------------------------------------------------------------------


def _hacked_label() -> str:
    st = statement_iri(URIRef(I4), RDFS.label, Literal("HACKED"))
    return f"""<{I4}> rdfs:label "HACKED" .
<{st}> a rdf:Statement ; rdf:subject <{I4}> ; rdf:predicate rdfs:label ; rdf:object "HACKED" .
<https://w3id.org/otkg/claim/local/hostile/c1> a otkg:Claim ; otkg:supports <{st}> ."""


HOSTILE = {  # name: (Turtle beside a package of the upload's own, the offences it holds)
    "national title": (_hacked_label(), 6),
    "class made empty": ("otkg:CareCluster rdfs:subClassOf owl:Nothing .", 1),
    "second class label": ('otkg:CareCluster rdfs:label "hacked cluster"@en .', 1),
    "national claim": (
        '<{claim}> otkg:curationNote "hijacked" ; oa:hasBody <https://w3id.org/otkg/id/local/hostile/pkg> .',
        2,
    ),
    "foreign subject": ('<http://evil.example/x> rdfs:label "x" ; otkg:forCluster id:cluster-2 .', 2),
    "blank nodes": (
        '[] rdfs:label "anon" ; otkg:forCluster id:cluster-2 .\nown:pkg otkg:hasElement [ rdfs:label "e" ] .',
        4,
    ),
}
PREFIXES = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix otkg: <https://w3id.org/otkg/ontology#> .
@prefix id: <https://w3id.org/otkg/id/> .
@prefix own: <https://w3id.org/otkg/id/local/hostile/> .
own:pkg a otkg:LocalCarePackage ; rdfs:label "a package" ; otkg:forCluster id:cluster-2 .
"""


@pytest.fixture(scope="module")
def national_claim(empty) -> str:
    found = fetch(empty, "trace", "json").json()
    return next(e["evidence"] for e in found["evidence"] if e["kind"] == "claim")


@pytest.fixture(scope="module")
def baseline(loaded):
    url = loaded[0]
    return quads(url), {(p, k): fetch(url, p, k) for p in PAGES for k in KINDS}


@pytest.mark.parametrize("case", [*HOSTILE, "all at once"])
def test_a_hostile_upload_is_refused_and_changes_nothing(loaded, baseline, national_claim, case):
    url = loaded[0]
    chosen = HOSTILE if case == "all at once" else {case: HOSTILE[case]}
    body = PREFIXES + "\n".join(text.format(claim=national_claim) for text, _ in chosen.values())
    r = httpx.put(
        url + "/graph/local/hostile",
        content=body.encode(),
        headers={"content-type": "text/turtle", "authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["title"] == "Upload breaks the content rules"
    assert len(problem["offences"]) == sum(n for _, n in chosen.values()), problem["offences"]
    assert all(o["rule"] and o["triple"] for o in problem["offences"])
    own = [
        o
        for o in problem["offences"]
        if o["triple"].startswith("<https://w3id.org/otkg/id/local/hostile/pkg> ")
    ]
    assert all("hasElement" in o["triple"] for o in own)  # the package's own triples pass
    count, pages = baseline
    assert quads(url) == count
    for (page, kind), before in pages.items():
        after = fetch(url, page, kind)
        assert after.content == before.content, (page, kind)
        assert after.headers["etag"] == before.headers["etag"], (page, kind)
