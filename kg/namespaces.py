"""IRI scheme of otkg: one base for ontology terms, entities, claims, statements and graphs."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/otkg/"
ONTOLOGY_IRI = BASE + "ontology"
OTKG = Namespace(ONTOLOGY_IRI + "#")
ID = Namespace(BASE + "id/")
CLAIM = Namespace(BASE + "claim/")
STATEMENT = Namespace(BASE + "statement/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "otkg": OTKG,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "dcterms": DCTERMS,
    "bibo": BIBO,
    "cito": CITO,
    "void": VOID,
    "dcat": DCAT,
}

# The dataset a build describes (VoID/DCAT), with one subset per named graph.
DATASET = URIRef(BASE + "dataset")

# The curator agent: every link the seeds do not state is attributed to it.
CURATORS = ID["otkg-curators"]


def expand(curie: str) -> URIRef:
    """Turn 'prefix:local' into an IRI; raise KeyError for an unknown prefix."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix][local]


def release_iri(version: str, artifact: str = "otkg.owl"):
    """The versionIRI of a release of the ontology and graph (otkg.owl), or of another of the
    release's ontology artifacts (otkg-base.owl)."""
    return f"{BASE}releases/{version}/{artifact}"
