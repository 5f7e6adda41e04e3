"""Contribution stage: Trusts' own packages written into the store. Who may write which local graph
(credentials), what an upload may say (namespace, content_rules), the history of every write, and
the one write path (write_path) that PUT, sheet imports, /contribute and the command line all take.
Imports the shared modules at kg/ top, kg.pipeline (parsing uploads, importing sheets, the statement
IRI scheme) and kg.store (commits); nothing in kg.pipeline, kg.store or kg.query imports this package.
"""
