"""Release metadata: the stamped ontology header, the VoID/DCAT description of a build, and
reading back which release and commit are being served. Sizes, checksums and download URLs of the
release's files are added where the files are made (release_files), not here."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD
from rdflib.term import Identifier

from .. import __version__
from ..namespaces import (
    BASE,
    CURATORS,
    DATASET,
    DCAT,
    GRAPH,
    ID,
    ONTOLOGY_IRI,
    OTKG,
    PREFIXES,
    VOID,
    release_iri,
)
from ..paths import ROOT
from . import changelog

FILES = (
    "otkg.owl.ttl",
    "otkg.owl",
    "otkg-base.owl.ttl",
    "otkg-base.owl",
    "otkg.ttl",
    "otkg.nq",
    "void.ttl",
    "release.json",
)


def inputs_digest(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of every build input, sorted by folder and file name (not
    by full path: a checkout, an installed wheel and a test's copy of a folder must agree)."""
    h = hashlib.sha256()
    for path in sorted(paths, key=lambda p: (p.parent.name, p.name)):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def stamp(ontology: Graph, digest: str) -> Graph:
    """The ontology as released: hand-edited terms plus version IRI, version info and digest."""
    g = Graph()
    for t in ontology:
        g.add(t)
    onto = URIRef(ONTOLOGY_IRI)
    g.add((onto, OWL.versionIRI, URIRef(release_iri(__version__))))
    g.add((onto, OWL.versionInfo, Literal(__version__)))
    g.add((onto, OTKG.inputsDigest, Literal(digest)))
    return g


CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
# What the dataset's licence covers, so that it is not read as licensing the quoted documents' text.
LICENCE_SCOPE = (
    "CC BY 4.0 covers the otkg project's own contributions: the ontology, the curated statements "
    "and links, and the structure of the graph. Text quoted from the source documents (the quote "
    "selectors' exact, prefix and suffix, and values taken from a quoted passage) is not the "
    "project's to license: each named graph that quotes a document states that document's rights "
    "(dcterms:rights) and names it (dcterms:source)."
)


IANA = "http://www.iana.org/assignments/media-types/"
GZIP = URIRef(IANA + "application/gzip")
# The files of a release (`otkg release`, served under /release/): one dcat:Distribution each, with
# the media type of its content (a dump's is its RDF format; dcat:compressFormat says it is gzipped).
DISTRIBUTIONS = {
    "otkg.nq.gz": ("application/n-quads", "the graph: every named graph, gzipped N-Quads"),
    "otkg.ttl.gz": ("text/turtle", "the graph: the union of its named graphs, gzipped Turtle"),
    "otkg.owl.ttl": ("text/turtle", "the ontology, Turtle"),
    "otkg.owl": ("application/rdf+xml", "the ontology, RDF/XML"),
    "otkg-base.owl.ttl": ("text/turtle", "the ontology's base module (its own terms only), Turtle"),
    "otkg-base.owl": ("application/rdf+xml", "the ontology's base module (its own terms only), RDF/XML"),
    "release.json": ("application/json", "the release record: version, version IRI, inputs digest"),
}
DUMPS = ("otkg.nq.gz", "otkg.ttl.gz")  # void:dataDump: the files that hold the whole dataset
DESCRIPTION = (
    "The occupational therapy care packages for English mental health services, with the service "
    "specifications, policy frameworks and evidence around them, as an RDF knowledge graph: one named "
    "graph per source document, the care map, the curation, facts from named public sources, and the "
    "ontology. Every statement links to the passage of the document it was read in (Web Annotation "
    "selectors), to the curators' stated reason, or to the public source of an external fact."
)
# What the external-* graphs' sources allow is not known to the project: say so rather than guess.
EXTERNAL_RIGHTS = (
    "Facts that this graph restates from public web pages are not from the seed documents: each such "
    "fact's claim names its page (dcterms:source), and this graph lists those pages as its sources. The "
    "curation records no licence and no rights holder for them, so none is stated here: their licences "
    "are not known to the project. Names, codes and values taken from them are given as facts with their "
    "source; any rights in the pages remain with their owners, and the dataset's CC BY 4.0 covers only "
    "the project's own selection, links and structure."
)


def describe(quads: set[tuple], digest: str, documents: list[str]) -> Graph:
    """VoID + DCAT description: counts per named graph, version, sources, rights and distributions."""
    g = Graph()
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("otkg knowledge graph", lang="en")))
    g.add((DATASET, OWL.versionInfo, Literal(__version__)))
    g.add((DATASET, OTKG.inputsDigest, Literal(digest)))
    g.add((DATASET, DCTERMS.conformsTo, URIRef(release_iri(__version__))))
    g.add((DATASET, DCTERMS.license, CC_BY))
    g.add((DATASET, DCTERMS.rights, Literal(LICENCE_SCOPE, lang="en")))
    triples = {(s, p, o) for s, p, o, _ in quads}
    _about(g, triples)
    _counts(g, DATASET, triples)
    for doc in documents:
        g.add((DATASET, PROV.wasDerivedFrom, ID[doc]))
    for graph, n in sorted(Counter(q[3] for q in quads).items()):
        g.add((DATASET, VOID.subset, graph))
        g.add((graph, RDF.type, VOID.Dataset))
        g.add((graph, VOID.triples, Literal(n, datatype=XSD.integer)))
        name = str(graph)[len(str(GRAPH)) :]
        if name in documents:
            g.add((graph, DCTERMS.source, ID[name]))
    _rights(g, quads)
    _external_rights(g, quads)
    for name, (media, title) in DISTRIBUTIONS.items():
        dist = distribution_iri(name)
        g.add((DATASET, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(name)))
        g.add((dist, DCTERMS.description, Literal(title, lang="en")))
        g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
        g.add((dist, DCTERMS.license, CC_BY))
        if name in DUMPS:
            g.add((dist, DCAT.compressFormat, GZIP))
    return g


def distribution_iri(name: str) -> URIRef:
    """The IRI naming one release file as a dcat:Distribution (its download URL is the server's)."""
    return URIRef(f"{BASE}dataset/{name}")


def _about(g: Graph, triples: set[tuple]) -> None:
    """Who made and publishes the dataset, when it was issued and changed, and what it is written in."""
    g.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((DATASET, DCTERMS.creator, CURATORS))  # the otkg curators, an agent of the graph
    g.add((DATASET, DCTERMS.publisher, CURATORS))
    issued = release_date()
    modified = inputs_changed() or issued
    if issued:
        g.add((DATASET, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    if modified:
        g.add((DATASET, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    g.add((DATASET, VOID.uriSpace, Literal(BASE)))  # entities, claims, statements and graphs
    for vocab in sorted(_vocabularies(triples)):
        g.add((DATASET, VOID.vocabulary, URIRef(vocab)))


def _vocabularies(triples: set[tuple]) -> set[str]:
    """The namespaces of the properties and classes the data uses (the part before the last # or /)."""
    a = RDF.type  # looked up once: a namespace attribute costs a call
    terms = {p for _, p, _ in triples} | {o for _, p, o in triples if p is a or p == a}
    return {re.sub(r"[^#/]*$", "", str(t)) for t in terms if isinstance(t, URIRef)}


def release_date(version: str = __version__) -> str | None:
    """The date CHANGELOG.md gives this version, or None (no changelog, or the version is unreleased)."""
    found = changelog.section(version)
    return found.date if found else None


def inputs_changed(root: Path = ROOT) -> str | None:
    """The date of the last commit that changed the build's inputs, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", "kg/curation", "kg/seeds", "ontology"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    date = out.stdout.strip()
    return date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None


def _rights(g: Graph, quads: set[tuple]) -> None:
    """Each graph that quotes a document names it and carries the rights the document's record states."""
    rights: dict[Identifier, set[Identifier]] = {}
    quoting: set[tuple[Identifier, Identifier]] = set()
    for s, p, o, graph in quads:  # one pass: rdflib terms compare slowly
        if p == PROV.wasQuotedFrom:
            quoting.add((graph, o))
        elif p == DCTERMS.rights:
            rights.setdefault(s, set()).add(o)
    for graph, doc in sorted(quoting):
        g.add((graph, DCTERMS.source, doc))
        for statement in rights.get(doc, ()):
            g.add((graph, DCTERMS.rights, statement))


def _external_rights(g: Graph, quads: set[tuple]) -> None:
    """Each graph that restates facts from public web pages (the external-* graphs, and a document's
    graph where it adds one, such as an Act's title) names those pages and says what is known of
    their rights: that no licence was recorded for them."""
    sources: dict[Identifier, set[Identifier]] = {}
    source = DCTERMS.source
    for _, p, o, graph in quads:
        if p == source and isinstance(o, URIRef) and not str(o).startswith(BASE):
            sources.setdefault(graph, set()).add(o)
    for graph, pages in sorted(sources.items()):
        for page in sorted(pages):
            g.add((graph, DCTERMS.source, page))
        g.add((graph, DCTERMS.rights, Literal(EXTERNAL_RIGHTS, lang="en")))


def _counts(g: Graph, node: URIRef, triples: set[tuple]) -> None:
    subjects = {s for s, _, _ in triples}
    g.add((node, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    g.add((node, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    g.add((node, VOID.properties, Literal(len({p for _, p, _ in triples}), datatype=XSD.integer)))
    g.add(
        (node, VOID.classes, Literal(len({o for _, p, o in triples if p == RDF.type}), datatype=XSD.integer))
    )
    for cls, n in sorted(Counter(o for _, p, o in triples if p == RDF.type).items()):
        part = URIRef(f"{BASE}dataset/class/{_curie(cls).replace(':', '-')}")
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))


def _curie(iri: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(str(ns)):
            return f"{prefix}:{str(iri)[len(str(ns)) :]}"
    return str(iri)


def release_json(digest: str) -> str:
    """The small machine-readable release record the API names in every response."""
    return (
        json.dumps(
            {"version": __version__, "versionIRI": release_iri(__version__), "inputsDigest": digest},
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )


def read_release(build_dir: Path) -> dict:
    """The release record a build wrote (build/release.json)."""
    return json.loads((build_dir / "release.json").read_text(encoding="utf-8"))


def git_commit(root: Path) -> str:
    """The checked-out commit, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5, check=False
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"
