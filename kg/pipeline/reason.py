"""OWL 2 DL consistency check of the ontology with the graph's entities, with HermiT (owlready2).

HermiT runs on the machine's Java. Pellet is a second reasoner where a Java 25 or later is found:
owlready2 0.51's Pellet bundles a Jena jar compiled for Java 25 (class file 69), so on Java 17 it
stops with "UnsupportedClassVersionError: org/apache/jena/riot/lang/LangRDFXML has been compiled by
a more recent version of the Java Runtime (class file version 69.0)".
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from ..namespaces import STATEMENT

PELLET_JAVA_MAJOR = 25  # the oldest Java that runs owlready2's Pellet jars


def reasoning_view(ontology: Graph, quads: set[tuple]) -> Graph:
    """Ontology plus every triple except the rdf:Statement reifications (RDF reserved vocabulary)."""
    g = Graph()
    for t in ontology:
        g.add(t)
    for s, p, o, _ in quads:
        if not str(s).startswith(str(STATEMENT)) and p not in (RDF.subject, RDF.predicate, RDF.object):
            g.add((s, p, o))
    return g


def java_major(java: str) -> int | None:
    """The major version of a Java executable, or None if it does not run."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)', out.stderr + out.stdout)
    return int(found.group(1)) if found else None


def pellet_java() -> str | None:
    """A Java that runs Pellet: $OTKG_PELLET_JAVA, else `java` on the PATH, else a JDK under
    /usr/lib/jvm, whichever first is Java 25 or later; None if there is none."""
    jdks = sorted(map(str, Path("/usr/lib/jvm").glob("*/bin/java")))
    candidates = [os.environ.get("OTKG_PELLET_JAVA"), "java", *jdks]
    for java in filter(None, candidates):
        if (java_major(java) or 0) >= PELLET_JAVA_MAJOR:
            return java
    return None


def check_consistency(graph: Graph, reasoner: str = "hermit", java: str | None = None) -> None:
    """Run HermiT (or reasoner="pellet", on `java`, default pellet_java()) over the graph; raises
    owlready2's OwlReadyInconsistentOntologyError if it is inconsistent."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "otkg-reasoning.owl"
        graph.serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        with onto:
            if reasoner == "hermit":
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
                return
            if reasoner != "pellet":
                raise ValueError(f"unknown reasoner {reasoner!r}")
            java = java or pellet_java()
            if java is None:
                raise RuntimeError(f"Pellet needs Java {PELLET_JAVA_MAJOR} or later; set OTKG_PELLET_JAVA")
            default, owlready2.JAVA_EXE = owlready2.JAVA_EXE, java
            try:
                owlready2.sync_reasoner_pellet(
                    world, infer_property_values=False, infer_data_property_values=False, debug=0
                )
            finally:
                owlready2.JAVA_EXE = default
