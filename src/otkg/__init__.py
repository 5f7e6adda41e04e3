"""otkg: a knowledge graph of occupational therapy care packages, with passage-level provenance.

The installed package gathers the repository's top-level folders (pyproject.toml maps them):
otkg.kg (sources -> build -> graph -> queries), otkg.api (the HTTP API and pages, and the `otkg`
command), otkg.ontology (the ontology, shapes and QC queries) and otkg.queries (the query catalogue).
Beside this file, links to the checkout's CHANGELOG.md, CITATION.cff and LICENSE-DATA.md put them
in the wheel where an installed otkg's kg.paths.ROOT points, so its release reads them as a
checkout's does.
"""
