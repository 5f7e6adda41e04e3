"""The release's files at /release/{version}/{name} (api/routers/release_files.py) and the VoID that
names them: a client that reads only the VoID finds the dumps, verifies them and gets its counts;
`otkg release` writes the folder the server serves."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from otkg.kg import __version__
from otkg.kg.cli import main as otkg
from otkg.kg.pipeline.release import DISTRIBUTIONS

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
DCTERMS = "http://purl.org/dc/terms/"
DATASET = ox.NamedNode("https://w3id.org/otkg/dataset")
N_QUADS = ox.NamedNode("http://www.iana.org/assignments/media-types/application/n-quads")
TURTLE = ox.NamedNode("http://www.iana.org/assignments/media-types/text/turtle")
FOLDER = [
    "CITATION.cff",
    "LICENSE-DATA.md",
    "RELEASE-NOTES.md",
    "SHA256SUMS",
    "otkg-base.owl",
    "otkg-base.owl.ttl",
    "otkg.nq.gz",
    "otkg.owl",
    "otkg.owl.ttl",
    "otkg.ttl.gz",
    "release.json",
    "void.ttl",
]


def one(st: ox.Store, s, p: str):
    [value] = [q.object for q in st.quads_for_pattern(s, ox.NamedNode(p), None)]
    return value


def read_void(body: bytes) -> ox.Store:
    st = ox.Store()
    st.load(body, format=ox.RdfFormat.TURTLE)
    return st


def dump_of(void: ox.Store, media: ox.NamedNode) -> tuple[str, int, str]:
    """The download URL, byte size and SHA-256 the VoID gives the data dump of this media type."""
    dumps = {q.object for q in void.quads_for_pattern(DATASET, ox.NamedNode(VOID + "dataDump"), None)}
    [dist] = [
        q.subject
        for q in void.quads_for_pattern(None, ox.NamedNode(DCAT + "mediaType"), media)
        if one(void, q.subject, DCAT + "downloadURL") in dumps
    ]
    checksum = one(void, dist, SPDX + "checksum")
    assert one(void, checksum, SPDX + "algorithm") == ox.NamedNode(SPDX + "checksumAlgorithm_sha256")
    size = one(void, dist, DCAT + "byteSize")  # xsd:nonNegativeInteger, which the store reads as an integer
    return (
        one(void, dist, DCAT + "downloadURL").value,
        int(size.value),
        one(void, checksum, SPDX + "checksumValue").value,
    )


def verified(body: bytes, size: int, sha256: str) -> bytes:
    assert len(body) == size and hashlib.sha256(body).hexdigest() == sha256
    return gzip.decompress(body)


@pytest.mark.slow
def test_a_client_reading_only_the_void_fetches_verifies_and_loads_the_dumps(live_server, store):
    """Over a real server: the VoID's download URLs, sizes and checksums are those of what is served,
    and the dumps hold the triples the VoID counts."""
    void = read_void(httpx.get(live_server + "/.well-known/void").content)
    triples = int(one(void, DATASET, VOID + "triples").value)
    subsets = [q.object for q in void.quads_for_pattern(DATASET, ox.NamedNode(VOID + "subset"), None)]
    per_graph = {s.value: int(one(void, s, VOID + "triples").value) for s in subsets}

    url, size, sha = dump_of(void, N_QUADS)
    assert url == f"{live_server}/release/{__version__}/otkg.nq.gz"
    dump = ox.Store()
    dump.load(verified(httpx.get(url).content, size, sha), format=ox.RdfFormat.N_QUADS)
    loaded = {(q.subject, q.predicate, q.object) for q in dump}
    assert (
        len(loaded) == triples == len({(q.subject, q.predicate, q.object) for q in store})
    )  # the built graph's
    graphs = {}
    for q in dump:
        graphs[q.graph_name.value] = graphs.get(q.graph_name.value, 0) + 1
    assert graphs == per_graph and len(graphs) == 14

    url, size, sha = dump_of(void, TURTLE)
    union = ox.Store()
    union.load(verified(httpx.get(url).content, size, sha), format=ox.RdfFormat.TURTLE)
    assert len(union) == triples


def test_every_distribution_in_the_void_is_served_with_its_size_and_checksum(client):
    void = read_void(client.get("/.well-known/void").content)
    dists = [q.object for q in void.quads_for_pattern(DATASET, ox.NamedNode(DCAT + "distribution"), None)]
    assert sorted(d.value.rsplit("/", 1)[1] for d in dists) == sorted(DISTRIBUTIONS)
    for dist in dists:
        url = one(void, dist, DCAT + "downloadURL").value
        assert url.startswith(f"http://testserver/release/{__version__}/")
        body = client.get(url).content
        checksum = one(void, dist, SPDX + "checksum")
        assert len(body) == int(one(void, dist, DCAT + "byteSize").value)
        assert hashlib.sha256(body).hexdigest() == one(void, checksum, SPDX + "checksumValue").value
        assert one(void, dist, DCTERMS + "license") == ox.NamedNode(
            "https://creativecommons.org/licenses/by/4.0/"
        )


def test_void_describes_the_dataset_for_catalogues(client):
    void = read_void(client.get("/.well-known/void").content)
    curators = ox.NamedNode("https://w3id.org/otkg/id/otkg-curators")
    assert one(void, DATASET, DCTERMS + "creator") == one(void, DATASET, DCTERMS + "publisher") == curators
    assert one(void, DATASET, DCTERMS + "issued") == ox.Literal(
        "2026-12-08", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )
    assert one(void, DATASET, DCTERMS + "modified").value >= "2026-12-08"
    assert one(void, DATASET, DCTERMS + "description").value.startswith(
        "The occupational therapy care packages"
    )
    assert one(void, DATASET, VOID + "uriSpace") == ox.Literal("https://w3id.org/otkg/")
    vocabularies = {
        q.object.value for q in void.quads_for_pattern(DATASET, ox.NamedNode(VOID + "vocabulary"), None)
    }
    assert {
        "https://w3id.org/otkg/ontology#",
        "http://www.w3.org/ns/oa#",
        "http://www.w3.org/ns/prov#",
    } <= vocabularies
    assert len(vocabularies) == 11


def test_latest_and_the_version_serve_the_same_bytes_and_sha256sums_verifies_them(client):
    sums = client.get("/release/latest/SHA256SUMS")
    assert sums.status_code == 200 and sums.headers["content-type"] == "text/plain; charset=utf-8"
    listed = dict(reversed(line.split("  ")) for line in sums.text.splitlines())
    assert sorted(listed) == [name for name in FOLDER if name != "SHA256SUMS"]
    for name, sha in listed.items():
        latest, pinned = client.get(f"/release/latest/{name}"), client.get(f"/release/{__version__}/{name}")
        assert latest.status_code == pinned.status_code == 200
        assert latest.content == pinned.content and hashlib.sha256(latest.content).hexdigest() == sha
    dump = client.get("/release/latest/otkg.nq.gz")
    assert dump.headers["content-type"] == "application/gzip" and dump.content[4:8] == b"\0\0\0\0"  # mtime 0


def test_release_json_is_the_builds(client, build_dir):
    resp = client.get("/release.json")
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    assert resp.content == (build_dir / "release.json").read_bytes()
    assert resp.json()["version"] == __version__


def test_head_of_a_dump_gives_its_length_and_etag(client):
    get, head = client.get("/release/latest/otkg.ttl.gz"), client.head("/release/latest/otkg.ttl.gz")
    assert head.status_code == 200 and head.content == b""
    assert (
        head.headers["content-length"] == str(len(get.content))
        and head.headers["etag"] == get.headers["etag"]
    )


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        (
            "/release/0.0.9/otkg.nq.gz",
            f"release '0.0.9' is not served here; this server serves release '{__version__}'",
        ),
        ("/release/latest/otkg.nq", f"release {__version__} has no file 'otkg.nq'; it has: otkg.nq.gz, "),
        ("/release/latest/" + "x" * 65, "name"),
    ],
    ids=["other-version", "unknown-file", "name-too-long"],
)
def test_a_file_the_release_lacks_is_a_problem(client, path, detail):
    resp = client.get(path)
    assert resp.status_code in (404, 422) and resp.headers["content-type"] == "application/problem+json"
    assert detail in str(resp.json())


def test_otkg_release_writes_the_folder_the_server_serves(client, build_dir, tmp_path: Path, capsys):
    out = tmp_path / "release"
    assert (
        otkg(["release", "--out", str(out), "--build-dir", str(build_dir), "--base-url", "http://testserver"])
        == 0
    )
    assert f"wrote release {__version__} to {out}" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == FOLDER
    for path in out.iterdir():
        assert path.read_bytes() == client.get(f"/release/{__version__}/{path.name}").content, path.name
    notes = (out / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert notes.startswith(f"# otkg {__version__} (2026-12-08)\n\nThe first release:")


def test_download_urls_follow_the_host_the_client_asked_for(client):
    """Behind a proxy that passes its Host, the VoID names the downloads under that host."""
    text = client.get("/.well-known/void", headers={"host": "otkg.example.org:8443"}).text
    assert f"<http://otkg.example.org:8443/release/{__version__}/otkg.nq.gz>" in text
    assert "http://testserver/" not in text
