"""Query stage: answering questions over a built graph. The query catalogue (queries/*.rq) and its
typed parameter binding, jobs run in killable worker processes (pool, reads, evidence traces),
text search, and serialising answers (SPARQL results formats, JSON-LD). Imports the shared modules
at kg/ top and kg.store (a worker opens the store from its spec); never kg.pipeline: search reads the
source documents through kg.seeds, which is shared with the build for that reason.
"""
