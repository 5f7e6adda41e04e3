"""The ontology documentation page: every class and property of the release, each at the anchor
its IRI names (https://w3id.org/otkg/ontology#X -> /ontology#X)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ...kg.pipeline.ontology_docs import KINDS, OntologyDocs
from .render import page

DOWNLOADS = [
    ("otkg.owl", "full ontology, RDF/XML"),
    ("otkg.owl.ttl", "full ontology, Turtle"),
    ("otkg-base.owl", "base ontology, RDF/XML"),
    ("otkg-base.owl.ttl", "base ontology, Turtle"),
]


def ontology_page(request: Request, docs: OntologyDocs) -> HTMLResponse:
    """Header, downloads, contents, then one entry per term; reused vocabularies last."""
    return page(
        request,
        "ontology.html",
        docs=docs,
        terms={t.iri: t for t in docs.terms},
        kinds=KINDS,
        reused=[t for t in docs.terms if not t.own],
        downloads=DOWNLOADS,
        version_path=f"/releases/{docs.version}/otkg.owl",
    )
