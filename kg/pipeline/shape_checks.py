"""The otkg SHACL shapes as SPARQL queries over pyoxigraph: what the sheet import checks a package with.

pyshacl took 70% of a 500-row sheet's import (tens of seconds); the same shapes, compiled here from
ontology/shapes/otkg-shapes.ttl into one query per constraint, run in well under a second. The build
still validates with pyshacl (kg.pipeline.validate), and tests/kg/test_shape_checks.py shows that both
refuse the same bad package graphs and accept the good ones.

Only the SHACL Core features the shapes use are compiled (targets by class or subject, predicate and
sequence paths, cardinality, value type and range, string, property pair, logical, shape-based and
qualified constraints); anything else raises Unsupported when the shapes are read.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..oxterms import solutions
from .validate import SHAPES_FILE

# The lexical forms SHACL's sh:datatype accepts for the datatypes the shapes name.
LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
}
NESTED_COUNT = 3  # the largest count a nested shape may ask for (as distinct variables, not a GROUP BY)
PROPERTY_KEYS = {SH.path, SH.message, SH.name, SH.description, SH.severity, SH.qualifiedValueShapesDisjoint}
NODE_KEYS = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.message, SH.severity}


class Unsupported(ValueError):
    """A shape uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    shape: str  # the node shape
    path: str  # the property path, as SPARQL, or '' for a constraint on the node itself
    constraint: str  # what is required, e.g. 'sh:minCount 1'
    message: str  # the shape's sh:message, or a description of the constraint
    query: str  # SELECT ?root: each targeted node that breaks it (or whose nested node does)
    classes: tuple[str, ...] = ()  # its target classes ...
    subjects_of: tuple[str, ...] = ()  # ... and predicates: with none in the graph it finds nothing


class _Vars:
    def __init__(self) -> None:
        self.n = itertools.count(1)

    def __call__(self) -> str:
        return f"?v{next(self.n)}"


def _term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        return t.n3()
    raise Unsupported(f"a blank node {t} where a constant is needed")


def _path(shapes: Graph, node) -> str:
    """A SPARQL property path from a SHACL path: an IRI or a sequence (RDF list) of them."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode) and shapes.value(node, RDF.first) is not None:
        return "/".join(_path(shapes, p) for p in Collection(shapes, node))
    raise Unsupported(f"path {node} (only predicates and sequences are compiled)")


def _value_fails(shapes: Graph, p, o, v: str) -> str | None:
    """A SPARQL expression true when value node `v` breaks the value constraint (p, o), else None for
    a constraint that is not about single values."""
    if p == SH.nodeKind:
        kinds = {SH.IRI: f"isIRI({v})", SH.Literal: f"isLiteral({v})", SH.BlankNode: f"isBlank({v})"}
        if o not in kinds:
            raise Unsupported(f"sh:nodeKind {o}")
        return f"!{kinds[o]}"
    if p == SH.datatype:
        ok = f"isLiteral({v}) && DATATYPE({v}) = <{o}>"
        if o in LEXICAL:
            ok += f' && REGEX(STR({v}), "{LEXICAL[o]}")'
        return f"!({ok})"
    if p in (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive):
        op = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}[p]
        return f"!COALESCE({v} {op} {_term(o)}, false)"  # an incomparable value breaks it too
    if p == SH.pattern:
        return f"(isBlank({v}) || !REGEX(STR({v}), {Literal(str(o)).n3()}))"
    if p in (SH.minLength, SH.maxLength):
        op = ">=" if p == SH.minLength else "<="
        return f"(isBlank({v}) || !(STRLEN(STR({v})) {op} {int(o)}))"
    if p == SH["class"]:
        return f"NOT EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* <{o}> }}"
    if p == SH["in"]:
        return f"({v} NOT IN ({', '.join(_term(x) for x in Collection(shapes, o))}))"
    return None


class Compiler:
    """Turns shapes into SPARQL: `breaks(shape, x)` is an expression true when node x does not
    conform to the shape (used for nested shapes); `checks()` gives one query per constraint of
    each targeted node shape, with counts done by GROUP BY."""

    def __init__(self, shapes: Graph):
        self.g = shapes
        self.var = _Vars()

    # -- nested shapes: one boolean expression for 'x breaks the shape' --------------------------
    def breaks(self, shape, x: str) -> str:
        parts = [self._breaks_constraint(shape, p, o, x) for p, o in self._constraints(shape)]
        for prop in self.g.objects(shape, SH.property):
            parts.append(self.breaks(prop, x))
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def _constraints(self, shape):
        """The constraint parameters of a shape (what is not its path, target, message or nesting)."""
        skip = PROPERTY_KEYS | NODE_KEYS | {SH.qualifiedMinCount, SH.qualifiedMaxCount}
        for p, o in sorted(self.g.predicate_objects(shape)):
            if p in (SH.deactivated, SH.closed, SH.flags, SH.uniqueLang, SH.languageIn):
                raise Unsupported(f"{p} on {shape}")
            if p not in skip:
                yield p, o

    def _breaks_constraint(self, shape, p, o, x: str) -> str:
        path_node = self.g.value(shape, SH.path)
        if path_node is None:  # a constraint on the node itself
            return self._node_breaks(p, o, x)
        path = _path(self.g, path_node)
        v = self.var()
        if p in (SH.minCount, SH.maxCount):
            return self._count_breaks(p, int(o), x, path)
        if p == SH.hasValue:
            return f"NOT EXISTS {{ {x} {path} {_term(o)} }}"
        if p in (SH.lessThan, SH.lessThanOrEquals):
            w, op = self.var(), "<" if p == SH.lessThan else "<="
            return f"EXISTS {{ {x} {path} {v} . {x} <{o}> {w} FILTER(!COALESCE({v} {op} {w}, false)) }}"
        if p == SH.node:
            return f"EXISTS {{ {x} {path} {v} FILTER({self.breaks(o, v)}) }}"
        if p == SH.qualifiedValueShape:
            return self._qualified_breaks(shape, o, x, path)
        fails = _value_fails(self.g, p, o, v)
        if fails is None:
            fails = self._node_breaks(p, o, v)
        return f"EXISTS {{ {x} {path} {v} FILTER({fails}) }}"

    def _node_breaks(self, p, o, x: str) -> str:
        if p in (SH["or"], SH["and"], SH.xone, SH["not"]):
            members = list(Collection(self.g, o)) if p != SH["not"] else [o]
            broken = [self.breaks(m, x) for m in members]
            if p == SH["or"]:
                return "(" + " && ".join(broken) + ")"
            if p == SH["and"]:
                return "(" + " || ".join(broken) + ")"
            if p == SH["not"]:
                return f"!{broken[0]}"
            return "((" + " + ".join(f"IF({b}, 0, 1)" for b in broken) + ") != 1)"
        if p == SH.node:
            return self.breaks(o, x)
        fails = _value_fails(self.g, p, o, x)
        if fails is None:
            raise Unsupported(f"{p} on a node shape")
        return fails

    def _count_breaks(self, p, n: int, x: str, path: str) -> str:
        want = n + 1 if p == SH.maxCount else n
        if want > NESTED_COUNT:
            raise Unsupported(f"{p} {n} in a nested shape")
        if want == 0:
            return "false"
        vs = [self.var() for _ in range(want)]
        distinct = " && ".join(f"{a} != {b}" for a, b in itertools.combinations(vs, 2)) or "true"
        found = f"EXISTS {{ {' . '.join(f'{x} {path} {v}' for v in vs)} FILTER({distinct}) }}"
        return found if p == SH.maxCount else f"!{found}"

    def _qualified_breaks(self, shape, q, x: str, path: str) -> str:
        low, high = self.g.value(shape, SH.qualifiedMinCount), self.g.value(shape, SH.qualifiedMaxCount)
        if high is not None or (low is not None and int(low) > 1):
            raise Unsupported("qualified counts other than sh:qualifiedMinCount 1")
        v = self.var()
        return f"NOT EXISTS {{ {x} {path} {v} FILTER(!{self.breaks(q, v)}) }}" if low is not None else "false"

    # -- top-level checks: one query per constraint, nested shapes flattened into joins -------------
    # pyoxigraph evaluates an EXISTS over two or more patterns for every row without the outer
    # binding (3 s for a 500-row sheet's claims, against milliseconds as a join), so a nested shape
    # is checked on the values its path reaches from the target, reported at the target's node, and
    # counts and logical constraints are aggregates over OPTIONAL values.
    def checks(self) -> list[Check]:
        found: list[Check] = []
        for shape in sorted(set(self.g.subjects(RDF.type, SH.NodeShape)), key=str):
            target = self._target(shape)
            if target is not None:  # else used only nested, through sh:node
                context = _Context(f"{{ SELECT DISTINCT ?root WHERE {{ {target} }} }}", "?root", "", 0)
                found += self._shape_checks(shape, shape, context)
        return found

    def _shape_checks(self, top, shape, ctx: _Context) -> list[Check]:
        found = []
        for p, o in self._constraints(shape):
            if p == SH.node:
                found += self._shape_checks(top, o, ctx)
            elif p in (SH["or"], SH["and"], SH.xone, SH["not"]):
                found.append(self._logical(top, shape, p, o, ctx))
            else:
                self.var = _Vars()
                query = f"SELECT DISTINCT ?root WHERE {{ {ctx.pattern} FILTER({self._node_breaks(p, o, ctx.focus)}) }}"
                found.append(self._made(top, shape, ctx.path, p, o, query))
        for prop in self.g.objects(shape, SH.property):
            path = _path(self.g, self.g.value(prop, SH.path))
            for p, o in self._constraints(prop):
                if p == SH.node:
                    found += self._shape_checks(top, o, ctx.step(path))
                else:
                    found.append(
                        self._made(top, prop, ctx.path + path, p, o, self._property(prop, p, o, path, ctx))
                    )
        return found

    def _property(self, prop, p, o, path: str, ctx: _Context) -> str:
        f, grouped = ctx.focus, f"GROUP BY ?root {ctx.focus} HAVING"
        values = f"SELECT ?root WHERE {{ {ctx.pattern} OPTIONAL {{ {f} {path} ?value }} }} {grouped}"
        if p in (SH.minCount, SH.maxCount):
            return f"{values} (COUNT(DISTINCT ?value) {'<' if p == SH.minCount else '>'} {int(o)})"
        if p == SH.hasValue:
            return f"{values} (SUM(IF(COALESCE(sameTerm(?value, {_term(o)}), false), 1, 0)) = 0)"
        if p == SH.qualifiedValueShape:
            low, high = self.g.value(prop, SH.qualifiedMinCount), self.g.value(prop, SH.qualifiedMaxCount)
            self.var = _Vars()
            fits = f"SUM(IF(BOUND(?value) && !{self.breaks(o, '?value')}, 1, 0))"
            tests = ([f"{fits} < {int(low)}"] if low is not None else []) + (
                [f"{fits} > {int(high)}"] if high is not None else []
            )
            return f"{values} ({' || '.join(tests) or 'false'})"
        if p in (SH.lessThan, SH.lessThanOrEquals):
            op = "<" if p == SH.lessThan else "<="
            return (
                f"SELECT DISTINCT ?root WHERE {{ {ctx.pattern} {f} {path} ?value . {f} <{o}> ?other "
                f"FILTER(!COALESCE(?value {op} ?other, false)) }}"
            )
        self.var = _Vars()
        fails = _value_fails(self.g, p, o, "?value")
        if fails is None:
            fails = self._node_breaks(p, o, "?value")
        return f"SELECT DISTINCT ?root WHERE {{ {ctx.pattern} {f} {path} ?value FILTER({fails}) }}"

    def _logical(self, top, shape, p, o, ctx: _Context) -> Check:
        """sh:or / sh:and / sh:xone / sh:not, each member's conformance an aggregate over the values
        of its properties (OPTIONAL, so a node without them is still grouped)."""
        optionals: list[str] = []
        fits = self._combined(p, o, ctx.focus, optionals)
        query = (
            f"SELECT ?root WHERE {{ {ctx.pattern} {' '.join(optionals)} }} "
            f"GROUP BY ?root {ctx.focus} HAVING (!{fits})"
        )
        return self._made(top, shape, ctx.path, p, o, query)

    def _combined(self, p, o, focus: str, optionals: list[str]) -> str:
        """Whether the focus conforms to the logical constraint (p, o), as an aggregate expression."""
        inner = [self._fits(m, focus, optionals) for m in (Collection(self.g, o) if p != SH["not"] else [o])]
        if p == SH["or"]:
            return "(" + " || ".join(inner) + ")"
        if p == SH["and"]:
            return "(" + " && ".join(inner) + ")"
        if p == SH["not"]:
            return f"!{inner[0]}"
        return "((" + " + ".join(f"IF({c}, 1, 0)" for c in inner) + ") = 1)"

    def _fits(self, member, focus: str, optionals: list[str]) -> str:
        """An aggregate expression true when the group's focus conforms to `member`."""
        path_node = self.g.value(member, SH.path)
        parts = []
        if path_node is not None:
            v = f"?m{len(optionals) + 1}"
            optionals.append(f"OPTIONAL {{ {focus} {_path(self.g, path_node)} {v} }}")
            for p, o in self._constraints(member):
                if p == SH.minCount:
                    parts.append(f"COUNT(DISTINCT {v}) >= {int(o)}")
                elif p == SH.maxCount:
                    parts.append(f"COUNT(DISTINCT {v}) <= {int(o)}")
                elif p == SH.hasValue:
                    parts.append(f"SUM(IF(COALESCE(sameTerm({v}, {_term(o)}), false), 1, 0)) > 0")
                else:
                    fails = _value_fails(self.g, p, o, v)
                    if fails is None:
                        raise Unsupported(f"{p} in a member of a logical constraint")
                    parts.append(f"SUM(IF(BOUND({v}) && {fails}, 1, 0)) = 0")
            for prop in self.g.objects(member, SH.property):
                parts.append(self._fits(prop, focus, optionals))
            return "(" + (" && ".join(parts) or "true") + ")"
        for p, o in self._constraints(member):
            if p not in (SH["or"], SH["and"], SH.xone, SH["not"]):
                raise Unsupported(f"{p} in a member of a logical constraint")
            parts.append(self._combined(p, o, focus, optionals))
        for prop in self.g.objects(member, SH.property):
            parts.append(self._fits(prop, focus, optionals))
        return "(" + (" && ".join(parts) or "true") + ")"

    def _made(self, top, owner, path: str, p, o, query: str) -> Check:
        message = self.g.value(owner, SH.message)
        described = f"{self.g.qname(p)} {self._shown(o)}"
        return Check(
            str(top),
            path,
            described,
            str(message) if message else "",
            query,
            tuple(str(c) for c in self.g.objects(top, SH.targetClass)),
            tuple(str(p) for p in self.g.objects(top, SH.targetSubjectsOf)),
        )

    def _target(self, shape) -> str | None:
        pats = [
            f"{{ ?root <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}"
            for c in self.g.objects(shape, SH.targetClass)
        ]
        pats += [f"{{ ?root <{p}> [] }}" for p in self.g.objects(shape, SH.targetSubjectsOf)]
        return " UNION ".join(pats) or None

    def _shown(self, o) -> str:
        if isinstance(o, BNode):
            return "[...]"
        return self.g.qname(o) if isinstance(o, URIRef) else str(o)


@dataclass(frozen=True)
class _Context:
    """Where a shape's constraints apply: a pattern binding ?root (the target's node, which a
    violation names) and `focus` (the node the shape is checked on), reached by `path`."""

    pattern: str
    focus: str
    path: str
    depth: int

    def step(self, path: str) -> _Context:
        nxt = f"?n{self.depth + 1}"
        inner = f"{{ SELECT DISTINCT ?root {nxt} WHERE {{ {self.pattern} {self.focus} {path} {nxt} }} }}"
        return _Context(inner, nxt, f"{self.path}{path} ", self.depth + 1)


@cache
def shape_checks() -> tuple[Check, ...]:
    """The compiled checks of ontology/shapes/otkg-shapes.ttl (read once per process)."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    return tuple(Compiler(shapes).checks())


def run_checks(store: ox.Store, checks: tuple[Check, ...] | None = None) -> list[tuple[str, str]]:
    """(focus node, what it breaks) for every check a node of the store's default graph fails; the
    store must hold the ontology's subclass axioms as SHACL's data graph does (kg.pipeline.validate)."""
    found = []
    present = _targets_present(store)
    for check in checks if checks is not None else shape_checks():
        if not present(check):
            continue
        for row in solutions(store.query(check.query)):
            what = check.message or f"{check.constraint} not met"
            found.append((row["root"].value, f"{check.path} {what}".strip()))
    return found


def _targets_present(store: ox.Store):
    """Whether a check's targets have any node in the store: most shapes target classes a package
    sheet never holds, and a query that cannot find anything is skipped."""
    classes = {
        row["class"].value
        for row in solutions(
            store.query(
                f"SELECT DISTINCT ?class WHERE {{ {{ SELECT DISTINCT ?type WHERE {{ ?s <{RDF.type}> ?type }} }} "
                f"?type <{RDFS.subClassOf}>* ?class }}"
            )
        )
    }
    asked: dict[str, bool] = {}

    def used(p: str) -> bool:
        if p not in asked:
            asked[p] = bool(store.query(f"ASK {{ ?s <{p}> ?o }}"))
        return asked[p]

    return lambda check: any(c in classes for c in check.classes) or any(used(p) for p in check.subjects_of)
