"""otkg: a knowledge graph of occupational therapy care packages, with passage-level provenance.

The installed package gathers the repository's top-level folders (pyproject.toml maps them):
otkg.kg (sources -> build -> graph -> queries), otkg.api (the HTTP API and pages, and the `otkg`
command), otkg.ontology (the ontology, shapes and QC queries) and otkg.queries (the query catalogue).
"""
