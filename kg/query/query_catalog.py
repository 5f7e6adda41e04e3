"""The query catalogue: queries/*.rq, each with a grlc-style `#+` YAML header.

A header holds summary, description, tags and typed params, and for a CONSTRUCT or DESCRIBE of one
named graph, `graph`: the iri param (or the IRI) naming the graph its triples belong to, which
N-Quads and TriG answers then carry. A malformed header raises CatalogError naming the file;
nothing is skipped silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..namespaces import expand
from ..sparql_text import query_form, strip_comments

QUERIES_DIR = Path(__file__).parent.parent.parent / "queries"
PARAM_TYPES = {"iri", "string", "integer", "decimal", "boolean", "enum"}
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
HEADER_KEYS = {"summary", "description", "params", "tags", "method", "pagination", "graph"}
PARAM_KEYS = {"name", "type", "required", "default", "example", "description", "enum", "maxLength", "class"}
CURIE = re.compile(r"^[a-z][a-z0-9]*:[A-Za-z_][A-Za-z0-9_.-]*$")


class CatalogError(ValueError):
    """A query file whose name or header breaks the catalogue rules."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    example: object
    description: str = ""
    default: object = None
    enum: tuple = ()
    max_length: int = 200
    class_iri: str | None = None  # an iri param's kind: the forms offer its instances as choices


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    sha256: str
    form: str  # SELECT, CONSTRUCT, ASK or DESCRIBE
    path: Path = field(compare=False)
    graph: str | None = None  # the `graph` header: an iri param's name, or an IRI (it holds a ':')

    def graph_name(self, values: dict[str, str]) -> str | None:
        """The IRI of the named graph the answer's triples belong to, given the request's (checked)
        parameter values; None when the query declares none. A CONSTRUCT answers triples: this is
        what puts them back in their graph in N-Quads and TriG."""
        if self.graph is None or ":" in self.graph:
            return self.graph
        param = next(p for p in self.params if p.name == self.graph)
        value = values.get(param.name) or param.default
        return None if value is None else str(value)


def _header(text: str, where: str) -> dict:
    lines = [ln[2:].removeprefix(" ") for ln in text.splitlines() if ln.startswith("#+")]
    if not lines:
        raise CatalogError(f"{where}: no '#+' header")
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{where}: header is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{where}: header must be a YAML mapping")
    unknown = set(data) - HEADER_KEYS
    if unknown:
        raise CatalogError(f"{where}: unknown header keys {sorted(unknown)}")
    for key in ("summary", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise CatalogError(f"{where}: header needs a non-empty '{key}'")
    return data


def _param(raw, where: str, body: str) -> Param:
    if not isinstance(raw, dict) or set(raw) - PARAM_KEYS:
        raise CatalogError(f"{where}: param {raw!r} must be a mapping of {sorted(PARAM_KEYS)}")
    name, ptype = raw.get("name"), raw.get("type")
    if not isinstance(name, str) or not PARAM_NAME.match(name):
        raise CatalogError(f"{where}: param name {name!r} must be lower-case letters, digits, _")
    if ptype not in PARAM_TYPES:
        raise CatalogError(f"{where}: param {name!r} has type {ptype!r}, not one of {sorted(PARAM_TYPES)}")
    if "example" not in raw:
        raise CatalogError(f"{where}: param {name!r} needs an example")
    if ptype == "enum" and not raw.get("enum"):
        raise CatalogError(f"{where}: enum param {name!r} needs its 'enum' values")
    if not re.search(rf"[?$]{name}\b", body):
        raise CatalogError(f"{where}: param {name!r} is not a variable of the query")
    if not raw.get("required", False) and raw.get("default") is None:
        # Engines disagree on unbound variables in BOUND/COALESCE: an optional filter is two queries.
        raise CatalogError(f"{where}: param {name!r} is optional without a default; make it required")
    if not re.search(rf"[?$]{name}\b", _required_part(body)):
        # The engine substitutes the value everywhere: inside OPTIONAL it would restrict nothing
        # and still be projected, giving every row the parameter's value.
        raise CatalogError(f"{where}: param {name!r} occurs only in OPTIONAL blocks or the projection")
    return Param(
        name,
        ptype,
        bool(raw.get("required", False)),
        raw["example"],
        str(raw.get("description", "")),
        raw.get("default"),
        tuple(raw.get("enum") or ()),
        int(raw.get("maxLength", 200)),
        _class_iri(raw, where),
    )


def _class_iri(raw: dict, where: str) -> str | None:
    """The `class` of an iri param, a CURIE of kg.namespaces' prefixes, as a full IRI."""
    curie = raw.get("class")
    if curie is None:
        return None
    if raw["type"] != "iri":
        raise CatalogError(f"{where}: param {raw['name']!r} has a class but is not of type iri")
    if not isinstance(curie, str) or not CURIE.match(curie):
        raise CatalogError(
            f"{where}: param {raw['name']!r} class {curie!r} must be a CURIE such as otkg:CarePackage"
        )
    try:
        return str(expand(curie))
    except KeyError:
        raise CatalogError(f"{where}: param {raw['name']!r} class {curie!r} has an unknown prefix") from None


def _required_part(body: str) -> str:
    """The WHERE clause with every OPTIONAL { ... } block cut out (comments dropped)."""
    text = strip_comments(body)
    start = text.find("{")
    text, out, i = text[start:], [], 0
    while i < len(text):
        m = re.compile(r"OPTIONAL\s*\{", re.IGNORECASE).search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    return "".join(out)


def _graph(head: dict, params: tuple[Param, ...], form: str, where: str) -> str | None:
    """The `graph` header, checked: a CONSTRUCT/DESCRIBE's iri param, or an absolute IRI."""
    graph = head.get("graph")
    if graph is None:
        return None
    if form not in ("CONSTRUCT", "DESCRIBE"):
        raise CatalogError(f"{where}: 'graph' names the graph of triples; a {form} answers none")
    if isinstance(graph, str) and re.match(r"^(https?|urn):\S+$", graph):
        return graph
    if not any(p.name == graph and p.type == "iri" for p in params):
        raise CatalogError(f"{where}: 'graph' {graph!r} must name one of its iri params, or be an IRI")
    return graph


def _form(body: str, where: str) -> str:
    stripped, form = strip_comments(body), query_form(body)
    if form is None:
        raise CatalogError(f"{where}: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    if not re.search(r"\bWHERE\s*\{", stripped, re.IGNORECASE):
        # A remote server gets parameters as a VALUES block opening the WHERE group.
        raise CatalogError(f"{where}: write the WHERE keyword before the query pattern")
    return form


def load_query(path: Path) -> NamedQuery:
    """Parse and check one .rq file."""
    where = path.name
    if not NAME.match(path.stem):
        raise CatalogError(f"{where}: name must be kebab-case")
    text = path.read_text(encoding="utf-8")
    head = _header(text, where)
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#+"))
    params = tuple(_param(p, where, body) for p in head.get("params") or [])
    tags = head.get("tags") or []
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        raise CatalogError(f"{where}: header needs a non-empty list of 'tags'")
    form = _form(body, where)
    return NamedQuery(
        path.stem,
        " ".join(head["summary"].split()),
        head["description"].strip(),
        tuple(tags),
        params,
        text,
        hashlib.sha256(text.encode()).hexdigest(),
        form,
        path,
        _graph(head, params, form, where),
    )


def load_catalog(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every query in the folder by name."""
    return {q.name: q for q in (load_query(p) for p in sorted(directory.glob("*.rq"), key=lambda p: p.stem))}
