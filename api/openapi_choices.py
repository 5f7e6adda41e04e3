"""The graph's entities as the choices of the named queries' entity parameters in /openapi.json: each
iri param whose header names a class (kg.query.query_catalog.Param.class_iri) refers to one shared
schema per class holding its entities as an enum, labels in `x-enum-descriptions` (the name
openapi-generator reads), and lists them by label as the param's `examples`, which Swagger UI offers
as a dropdown. Read from the graph by the catalogue's own entities-of-class query, once per store
generation (api.openapi_responses.install), so an upload's new package becomes a choice."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

from ..kg.namespaces import PREFIXES
from ..kg.query.query_catalog import NamedQuery
from ..kg.query.query_service import run_select
from .pages.catalogue import distinguished

log = logging.getLogger(__name__)
CHOICES_QUERY = "entities-of-class"  # (entity, label) of a class and its subclasses, by label
# An enum up to this many entities (a dropdown a person can scan); past it the class's schema stays a
# free IRI and its first MAX_ENUM entities by label are only examples.
MAX_ENUM = 200


@dataclass(frozen=True)
class Choices:
    entities: list[tuple[str, str]]  # (IRI, label) by label, at most MAX_ENUM
    more: bool  # the class has more entities than these


def schema_name(class_iri: str) -> str:
    """The component schema of a class's entities, named by its CURIE: otkg_CareCluster, bibo_Document."""
    for prefix, ns in PREFIXES.items():
        if class_iri.startswith(str(ns)) and class_iri != str(ns):
            return f"{prefix}_{class_iri[len(str(ns)) :]}"
    return "entity_" + "".join(c if c.isalnum() else "_" for c in class_iri)


def read_choices(store, catalog: dict[str, NamedQuery]) -> dict[str, Choices]:
    """Each class some param names, with its entities: one bounded query per class (13 classes,
    about 20 ms in all on the real graph)."""
    query = catalog.get(CHOICES_QUERY)
    if query is None:
        return {}
    classes = sorted({p.class_iri for q in catalog.values() for p in q.params if p.class_iri})
    out = {}
    for class_iri in classes:
        page = run_select(store, query, {"class": class_iri}, MAX_ENUM, 0)
        pairs = [
            (r["entity"].value, r["label"].value if "label" in r else r["entity"].value) for r in page.rows
        ]
        out[class_iri] = Choices(distinguished(pairs), page.has_next)
    return out


def _class_schema(class_iri: str, choices: Choices) -> dict:
    schema: dict[str, object] = {"type": "string", "format": "uri", "title": schema_name(class_iri)}
    if choices.entities and not choices.more:
        schema["enum"] = [iri for iri, _ in choices.entities]
        schema["x-enum-descriptions"] = [label for _, label in choices.entities]
        schema["description"] = f"an entity of {class_iri} (or a subclass) in this graph"
    else:  # none yet (a Trust's packages before any upload), or too many to list: any IRI
        schema["description"] = f"the IRI of an entity of {class_iri}; examples list the first by label"
    return schema


def _examples(choices: Choices) -> dict:
    """The param's examples, keyed by IRI, each with its label as the summary Swagger UI shows."""
    return {iri: {"summary": label, "value": iri} for iri, label in choices.entities}


def with_choices(schema: dict, catalog: dict[str, NamedQuery], choices: dict[str, Choices]) -> dict:
    """A copy of the OpenAPI document whose class-typed query params carry their class's entities."""
    out = copy.deepcopy(schema)
    components = out.setdefault("components", {}).setdefault("schemas", {})
    for name, q in catalog.items():
        op = out.get("paths", {}).get(f"/queries/{name}", {}).get("get")
        for p in q.params if op else ():
            found = choices.get(p.class_iri) if p.class_iri else None
            if p.class_iri is None or found is None:
                continue
            shared = schema_name(p.class_iri)
            components[shared] = _class_schema(p.class_iri, found)
            param = next(x for x in op["parameters"] if x["name"] == p.name)
            extra = {k: v for k, v in param["schema"].items() if k not in ("type", "format")}  # a default
            param["schema"] = {"$ref": f"#/components/schemas/{shared}", **extra}
            if found.entities:
                param.pop("example", None)  # OpenAPI allows `example` or `examples`, not both
                param["examples"] = _examples(found)
    return out


def without_choices(schema: dict, catalog: dict[str, NamedQuery]) -> dict:
    """The document as it is before the graph is read (what with_choices added, taken out): how a
    description generated without a store compares with a running server's."""
    out = copy.deepcopy(schema)
    components = out.get("components", {}).get("schemas", {})
    for name, q in catalog.items():
        op = out.get("paths", {}).get(f"/queries/{name}", {}).get("get")
        for p in q.params if op else ():
            param = next(x for x in op["parameters"] if x["name"] == p.name)
            ref = param["schema"].pop("$ref", None)
            if p.class_iri is None or ref is None:
                continue
            components.pop(schema_name(p.class_iri), None)
            param["schema"] = {"type": "string", "format": "uri", **param["schema"]}
            if param.pop("examples", None) is not None:
                param["example"] = p.example
    return out
