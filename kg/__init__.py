"""otkg's graph: sources -> build -> graph -> queries, in one subpackage per stage.

kg.pipeline (sources to a validated graph, uploads and sheets), kg.store (where the graph lives),
kg.query (catalogue queries, workers, search, answer formats). The modules here are shared by the
stages: the IRI scheme (namespaces), the ontology's terms, the seed documents, SPARQL text and
rdflib/pyoxigraph term helpers, file locations (paths), and the `otkg` command's graph sub-commands
(cli). Nothing in kg imports the API.
"""

__version__ = "0.1.0"
