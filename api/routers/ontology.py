"""The ontology's IRIs answer here (w3id.org/otkg/X -> /X): /ontology, whose hash IRIs name every
class and property, gives browsers the documentation and tools the RDF; each release's version IRIs
/releases/<version>/otkg.owl and otkg-base.owl do the same for that release; the artifact files are
downloads at /otkg.owl, /otkg.owl.ttl, /otkg-base.owl and /otkg-base.owl.ttl."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ...kg.namespaces import ONTOLOGY_IRI, release_iri
from ...kg.pipeline.ontology_release import BASE_ONTOLOGY_IRI, FULL_FILE
from .. import pages
from ..deps import ServicesDep
from ..errors import Problem
from ..links import link_header
from ..negotiation import GRAPH_FORMATS, accept_of, choose
from ..ontology_files import ARTIFACTS, DOWNLOADS, MEDIA_TYPES, ServedOntology, served
from ..pages.ontology import ontology_page

router = APIRouter(tags=["ontology"])
# What no Accept or */* gets at the ontology IRI and its version IRIs: RDF/XML, as OBO and ODK PURLs
# answer, since it is the one form every OWL tool reads (owlready2's get_ontology(iri).load() reads
# no Turtle; a version IRI also ends in .owl, the name OWL tools give RDF/XML).
OWL_FIRST = sorted(GRAPH_FORMATS, key=lambda f: f.name != "rdfxml")


def _answer(
    request: Request,
    ontology: ServedOntology,
    artifact: str,
    formats: list,
    fmt: str | None,
    canonical: str,
    path: str,
) -> Response:
    response: Response
    if pages.wants_html(request):
        response = ontology_page(request, ontology.docs)
    else:
        f = choose(accept_of(request), formats, fmt)
        response = Response(ontology.artifacts[artifact].body(f), media_type=f.content_type)
    response.headers["link"] = link_header(canonical, path, formats)
    return response


@router.get("/ontology", summary="The otkg ontology: documentation or RDF")
async def ontology(request: Request, services: ServicesDep, format: str | None = None) -> Response:
    """Documentation of every class and property for browsers; the full ontology in RDF/XML (default,
    as OWL tools load an ontology by its IRI), Turtle, JSON-LD or N-Triples by Accept or `format`."""
    return _answer(request, served(services), FULL_FILE, OWL_FIRST, format, ONTOLOGY_IRI, "/ontology")


@router.get("/releases/{version}/{artifact}", summary="One release of the ontology, by its version IRI")
async def release(
    request: Request,
    services: ServicesDep,
    version: str = Path(..., max_length=64),
    artifact: str = Path(..., max_length=64),
    format: str | None = None,
) -> Response:
    """The full (otkg.owl) or base (otkg-base.owl) ontology of that release: RDF/XML by default, other
    RDF formats by Accept or `format`, the documentation for browsers. Only the served release answers."""
    ontology = served(services)
    if artifact not in ARTIFACTS:
        raise Problem(
            404,
            "Not found",
            f"a release has no ontology artifact '{artifact}': it has {' and '.join(ARTIFACTS)}",
            artifact=artifact,
        )
    if version != ontology.version:
        raise Problem(
            404,
            "Not found",
            f"release '{version}' of the ontology is not served here; this server "
            f"serves release '{ontology.version}' ({release_iri(ontology.version, artifact)})",
            version=version,
            served=ontology.version,
        )
    return _answer(
        request,
        ontology,
        artifact,
        OWL_FIRST,
        format,
        release_iri(version, artifact),
        f"/releases/{version}/{artifact}",
    )


def _download(name: str):
    async def download(services: ServicesDep) -> Response:
        artifact, suffix = (name[:-4], ".ttl") if name.endswith(".ttl") else (name, "")
        body = served(services).artifacts[artifact].file(suffix)
        return Response(body, media_type=MEDIA_TYPES[name[name.rindex(".") :]])

    return download


for _name in DOWNLOADS:
    what = "base" if _name.startswith("otkg-base") else "full"
    kind = "Turtle" if _name.endswith(".ttl") else "RDF/XML"
    media = MEDIA_TYPES[_name[_name.rindex(".") :]]
    router.add_api_route(
        f"/{_name}",
        _download(_name),
        methods=["GET"],
        response_class=Response,
        responses={200: {"content": {media: {"schema": {"type": "string"}}}}},
        summary=f"The {what} ontology as {kind} (the file the build wrote)",
        description=f"build/{_name}"
        + (f"; its ontology IRI is {BASE_ONTOLOGY_IRI}" if _name == "otkg-base.owl" else ""),
    )
