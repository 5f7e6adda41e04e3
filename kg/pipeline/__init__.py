"""Build stage: sources -> a validated graph. The ontology, curation tables (kg/curation/) and seed
documents (kg/seeds/) are assembled into quads, every quote located, then checked (SHACL, QC, an OWL
reasoner) and released (release metadata, the ontology's ODK-style artifacts) into build/; a Trust's
upload or package sheet is turned into a local package graph the same way, and sheets are exported
back. Imports the shared modules at kg/ top, kg.store (sheet imports and uploads name and commit
local graphs there) and kg.query (the sheet export checks IRIs with kg.query.query_service); nothing
in kg.store or kg.query imports this package.
"""
