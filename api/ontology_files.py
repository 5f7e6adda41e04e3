"""The ontology release as served: the build's artifact files (full and base, RDF/XML and Turtle),
their other RDF forms, and the documentation model, read from build/ once per process and release."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..kg.pipeline import ontology_docs
from ..kg.pipeline.ontology_release import BASE_FILE, FULL_FILE
from ..kg.query import jsonld
from .errors import Problem
from .negotiation import Format

ARTIFACTS = (FULL_FILE, BASE_FILE)
# Files served as they are: the build wrote these two forms of each artifact.
AS_WRITTEN = {"turtle": ".ttl", "rdfxml": ""}
MEDIA_TYPES = {".owl": "application/rdf+xml", ".ttl": "text/turtle"}
DOWNLOADS = tuple(
    name + suffix for name in ARTIFACTS for suffix in ("", ".ttl")
)  # otkg.owl, otkg.owl.ttl, ...


@dataclass
class Artifact:
    """One artifact (otkg.owl or otkg-base.owl) in every graph format, each made once when first asked."""

    folder: Path
    name: str
    _bodies: dict[str, bytes] = field(default_factory=dict)

    def file(self, suffix: str) -> bytes:
        return _read(self.folder / (self.name + suffix))

    def body(self, f: Format) -> bytes:
        if f.name in AS_WRITTEN:
            return self.file(AS_WRITTEN[f.name])
        if f.name not in self._bodies:
            triples = list(ox.parse(self.file(".ttl"), format=ox.RdfFormat.TURTLE))
            self._bodies[f.name] = jsonld.serialize(triples, f.content_type)  # as every graph answer
        return self._bodies[f.name]


@dataclass
class ServedOntology:
    folder: Path
    artifacts: dict[str, Artifact]
    docs: ontology_docs.OntologyDocs

    @property
    def version(self) -> str:
        return self.docs.version


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise Problem(
            404, "Not found", f"this server's build has no {path.name}; rebuild with `otkg build`"
        ) from None


@lru_cache(maxsize=4)
def _load(folder: Path, digest: str) -> ServedOntology:
    # digest: a new build in the same folder is a new release, read afresh
    graph = Graph().parse(data=_read(folder / (FULL_FILE + ".ttl")), format="turtle")
    return ServedOntology(folder, {n: Artifact(folder, n) for n in ARTIFACTS}, ontology_docs.describe(graph))


def served(services) -> ServedOntology:
    """The ontology of the build the services were opened from; 404 for services with none."""
    folder = getattr(services, "build_dir", None)
    if folder is None:
        raise Problem(404, "Not found", "this server was started without a build, so it has no ontology")
    return _load(Path(folder), services.release.digest)
