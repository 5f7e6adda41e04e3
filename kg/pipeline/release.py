"""Release metadata: the stamped ontology header, the VoID/DCAT description of a build, and
reading back which release and commit are being served."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD
from rdflib.term import Identifier

from .. import __version__
from ..namespaces import BASE, DATASET, DCAT, GRAPH, ID, ONTOLOGY_IRI, OTKG, PREFIXES, VOID, release_iri

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
    """SHA-256 over the names and bytes of every build input, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.as_posix()):
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
    for name in FILES:
        dist = URIRef(f"{BASE}dataset/{name}")
        g.add((DATASET, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(name)))
    return g


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
