"""A release's files, made from a build folder: what `otkg release` writes to a folder and the server
offers under /release/{version}/. The graph as gzipped N-Quads and Turtle, the ontology files,
release.json, the VoID with each file's download URL, size and SHA-256, the notes from CHANGELOG.md,
CITATION.cff and the data licence where the checkout has them, and SHA256SUMS over all of them.

Sizes and checksums are of these bytes, so the build's void.ttl (written before any file is
gzipped) gets them here; gzip is written with no name and mtime 0, so a build gives the same dumps
however often and wherever they are made, and a served dump has the checksum the VoID states.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..namespaces import DATASET, DCAT, PREFIXES, VOID
from ..oxterms import written
from ..paths import ROOT
from . import changelog
from .release import DISTRIBUTIONS, DUMPS, distribution_iri

SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GZIPPED = {"otkg.nq.gz": "otkg.nq", "otkg.ttl.gz": "otkg.ttl"}  # dump -> the build file it compresses
NOTES, SUMS, VOID_FILE = "RELEASE-NOTES.md", "SHA256SUMS", "void.ttl"
EXTRAS = ("CITATION.cff", "LICENSE-DATA.md")  # copied from the checkout when present
DEFAULT_BASE = "http://127.0.0.1:8000/"  # where `otkg serve` answers; a public copy names its own


class ReleaseError(Exception):
    """What stops a release folder being written (no changelog section for the version)."""


def gzipped(data: bytes) -> bytes:
    """gzip with no file name and mtime 0, so the same input always gives the same bytes (level 6:
    about half level 9's time for a file 4% larger)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def distribution_files(build_dir: Path) -> dict[str, bytes]:
    """The bytes of every dcat:Distribution of the build in build_dir (about 0.6 s: the gzipping)."""
    files = {}
    for name in DISTRIBUTIONS:
        source = build_dir / GZIPPED.get(name, name)
        data = source.read_bytes()
        files[name] = gzipped(data) if name in GZIPPED else data
    return files


def download_url(base: str, name: str, version: str = __version__) -> str:
    """Where a release file is served: base is the server's root URL, ending in '/'."""
    return f"{base}release/{version}/{name}"


def download_triples(files: dict[str, bytes], base: str) -> list[ox.Triple]:
    """Each distribution's download URL, byte size and SHA-256 (SPDX), and the dataset's dumps."""
    triples = []
    for name, data in files.items():
        dist = ox.NamedNode(str(distribution_iri(name)))
        url = ox.NamedNode(download_url(base, name))
        checksum = ox.NamedNode(dist.value + "#sha256")  # an IRI, not a blank node: stable across formats
        triples += [
            ox.Triple(dist, ox.NamedNode(str(DCAT.downloadURL)), url),
            ox.Triple(dist, ox.NamedNode(str(DCAT.accessURL)), url),
            ox.Triple(dist, ox.NamedNode(str(DCAT.byteSize)), _typed(str(len(data)), "nonNegativeInteger")),
            ox.Triple(dist, ox.NamedNode(SPDX + "checksum"), checksum),
            ox.Triple(checksum, ox.NamedNode(RDF_TYPE), ox.NamedNode(SPDX + "Checksum")),
            ox.Triple(
                checksum, ox.NamedNode(SPDX + "algorithm"), ox.NamedNode(SPDX + "checksumAlgorithm_sha256")
            ),
            ox.Triple(checksum, ox.NamedNode(SPDX + "checksumValue"), _typed(_sha256(data), "hexBinary")),
        ]
        if name in DUMPS:
            triples.append(ox.Triple(ox.NamedNode(str(DATASET)), ox.NamedNode(str(VOID.dataDump)), url))
    return triples


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def void_turtle(build_void: list[ox.Triple], downloads: list[ox.Triple]) -> bytes:
    """The build's VoID with the download facts added, as Turtle with otkg's prefixes and spdx."""
    prefixes = {**{k: str(v) for k, v in PREFIXES.items()}, "spdx": SPDX}
    triples = in_order([*build_void, *downloads])
    return written(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))


def in_order(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Triples sorted by subject, so that a writer groups each subject's under one heading."""
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def read_void(build_dir: Path) -> list[ox.Triple]:
    """The build's void.ttl as triples."""
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(build_dir / VOID_FILE), format=ox.RdfFormat.TURTLE)
    ]


def release_notes(version: str = __version__, path: Path | None = None) -> str | None:
    """This version's CHANGELOG.md section as a notes file, or None when it has none."""
    found = changelog.section(version, path)
    if found is None or not found.date:
        return None
    return f"# otkg {version} ({found.date})\n\n{found.body}\n"


def release_contents(build_dir: Path, base: str, files: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of the release folder by name, SHA256SUMS last; `files` are the distributions'
    bytes if made already (distribution_files)."""
    files = files if files is not None else distribution_files(build_dir)
    contents = dict(files)
    contents[VOID_FILE] = void_turtle(read_void(build_dir), download_triples(files, base))
    notes = release_notes()
    if notes is not None:
        contents[NOTES] = notes.encode("utf-8")
    for name in EXTRAS:
        if (ROOT / name).is_file():
            contents[name] = (ROOT / name).read_bytes()
    contents[SUMS] = "".join(f"{_sha256(data)}  {name}\n" for name, data in sorted(contents.items())).encode()
    return contents


def write_release(build_dir: Path, out: Path, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """Write the release folder out/ (its files replaced one by one, each under a temporary name
    first); refuse when CHANGELOG.md has no dated section for this version."""
    if release_notes() is None:
        raise ReleaseError(
            f"CHANGELOG.md has no dated section for {__version__}: add '## [{__version__}] - YYYY-MM-DD' "
            "(Keep a Changelog) before releasing"
        )
    contents = release_contents(build_dir, base if base.endswith("/") else base + "/")
    out.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out / name)
    return contents
