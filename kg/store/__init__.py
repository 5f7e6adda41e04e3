"""Store stage: where the built graph lives and is queried. The store seam (seam.GraphStore) with
its embedded pyoxigraph backends (one folder per release, switched atomically) and a remote SPARQL
1.1 server behind the same interface, the parallel N-Quads bulk load, and per-graph triple counts.
Imports only the shared modules at kg/ top (sparql_text, namespaces), never kg.pipeline or kg.query.
"""
