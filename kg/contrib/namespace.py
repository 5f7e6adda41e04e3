"""What a Trust's upload owns: the IRIs under its slug. A slug names one local graph; the upload
for it may describe only `id/local/{slug}/...`, its claims `claim/local/{slug}/...`, the reified
statements of its own triples and the graph IRI itself. A '/' ends the slug, so slug 'a' never
reaches slug 'a-b''s IRIs."""

from __future__ import annotations

from ..namespaces import BASE, CLAIM, ID, STATEMENT
from ..store.seam import LOCAL_GRAPHS

LOCAL_IDS, LOCAL_CLAIMS = str(ID) + "local/", str(CLAIM) + "local/"
STATEMENTS = str(STATEMENT)
ONTOLOGY_TERMS = BASE + "ontology#"


def own_prefixes(slug: str) -> tuple[str, str]:
    """The IRI prefixes the upload for `slug` may describe (besides statements and its graph IRI)."""
    return f"{LOCAL_IDS}{slug}/", f"{LOCAL_CLAIMS}{slug}/"


def owner(iri: str) -> str | None:
    """The slug whose upload owns `iri`, or None for an IRI no upload owns."""
    for base in (LOCAL_IDS, LOCAL_CLAIMS, LOCAL_GRAPHS):
        if iri.startswith(base):
            return iri[len(base) :].split("/", 1)[0].split("#", 1)[0] or None
    return None


def kind(iri: str) -> str:
    """What an otkg IRI outside any upload is, for the messages of kg.contrib.content_rules."""
    if iri.startswith(ONTOLOGY_TERMS) or iri == BASE + "ontology":
        return "an ontology term"
    if iri.startswith(str(CLAIM)):
        return "a national claim"
    if iri.startswith(STATEMENTS):
        return "a statement"
    if iri.startswith(str(ID)):
        return "a national entity"
    if iri.startswith(BASE):
        return "an otkg IRI"
    return "outside otkg"
