"""The SPARQL 1.1 Service Description served at /sparql when no query is given."""
import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"


def service_description(endpoint: str, fmt: ox.RdfFormat) -> bytes:
    svc, sd = ox.BlankNode("service"), lambda n: ox.NamedNode(SD + n)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(svc, rdf_type, sd("Service")),
        ox.Triple(svc, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(svc, sd("resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{name}")))
    return ox.serialize([t for t in triples if t is not None], format=fmt)
