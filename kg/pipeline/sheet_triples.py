"""The triples of an imported package sheet: document, trust, package, one element per cell, and
for every triple a reified statement supported by a claim that quotes the cell it came from.

Fourth step of a sheet import (kg.pipeline.sheet_import calls it once the cells have parsed): the same
claim/statement shape kg.pipeline.assemble gives the seed documents, with a cell selector ('Package'!D5)
in place of character offsets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..namespaces import CLAIM, ID, OA, OTKG, STATEMENT
from ..oxterms import from_rdflib
from .entail import Supers
from .sheet_grammar import Parsed
from .sheet_layout import Cell, Entry, Layout
from .sheet_read import column_letter

Term = ox.NamedNode | ox.Literal
XSD_STRING, STATEMENTS = str(XSD.string), str(STATEMENT)

# A Trust's sheet carries no licence cell, so its rights are said as for the seeds that state none
# (kg/curation/documents.yaml): its quoted cells stay the Trust's, outside the dataset's licence.
SHEET_RIGHTS = (
    "The spreadsheet of {trust} states no licence. Its cells are quoted here only as evidence for the "
    "statements that cite them; they are not covered by the dataset's CC BY 4.0 licence, and any "
    "rights in them remain with their owners."
)


# The triples are made as pyoxigraph terms, which the import checks and commits as they are: made
# with rdflib and converted, a 500-row sheet's 150,000 triples cost about 2 s more.
@cache
def _t(term) -> Term:
    """An rdflib constant (a term of the ontology or the vocabulary) as a pyoxigraph term, once."""
    return from_rdflib(term)  # type: ignore[return-value]


def _iri(text: str) -> ox.NamedNode:
    return ox.NamedNode(text)


@cache
def _n3(term: ox.Literal) -> str:
    """A literal as rdflib's n3() writes it (its statement IRI is the hash of these forms)."""
    if term.language:
        return Literal(term.value, lang=term.language).n3()
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == XSD_STRING else URIRef(dt)).n3()


def statement_iri(s: ox.NamedNode, p: ox.NamedNode, o: Term) -> ox.NamedNode:
    """kg.pipeline.assemble.statement_iri for pyoxigraph terms: the same IRI for the same triple."""
    obj = f"<{o.value}>" if isinstance(o, ox.NamedNode) else _n3(o)
    key = f"<{s.value}> <{p.value}> {obj}".encode()
    return ox.NamedNode(f"{STATEMENTS}{hashlib.sha256(key).hexdigest()[:20]}")


TYPE, RDF_STATEMENT, SUBJECT, PREDICATE, OBJECT = (
    _t(x) for x in (RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object)
)
SUPPORTS, DERIVED = _t(OTKG.supports), _t(PROV.wasDerivedFrom)
CLAIM_TYPES = tuple(_t(c) for c in (OTKG.Claim, OA.Annotation, PROV.Entity))
MOTIVATED_BY, DESCRIBING, HAS_BODY, QUOTED_FROM, HAS_TARGET = (
    _t(x) for x in (OA.motivatedBy, OA.describing, OA.hasBody, PROV.wasQuotedFrom, OA.hasTarget)
)
SPECIFIC_RESOURCE, HAS_SOURCE, HAS_SELECTOR, QUOTE_SELECTOR, EXACT = (
    _t(x) for x in (OA.SpecificResource, OA.hasSource, OA.hasSelector, OA.TextQuoteSelector, OA.exact)
)
CELL_SELECTOR, VALUE, SHEET_NAME, ROW_NUMBER, COLUMN_LETTER = (
    _t(x) for x in (OA.FragmentSelector, RDF.value, OTKG.sheetName, OTKG.rowNumber, OTKG.columnLetter)
)
INTEGER = _iri(str(XSD.integer))
HAS_ELEMENT, LABEL, TEXT, IN_COLUMN, POSITION = (
    _t(x) for x in (OTKG.hasElement, RDFS.label, OTKG.text, OTKG.inColumn, OTKG.elementPosition)
)


@dataclass(frozen=True)
class Sheet:
    """What the import knows besides the cells: names and the file it read."""

    slug: str
    file_name: str
    sha256: str
    trust: str  # the trust's name as B1 gives it, white space collapsed
    cluster: URIRef
    adapted_from: URIRef


@dataclass
class PackageTriples:
    package: ox.NamedNode
    document: ox.NamedNode
    triples: list[tuple] = field(default_factory=list)  # (s, p, o) pyoxigraph terms, maybe repeated
    cells: dict[str, Cell] = field(default_factory=dict)  # entity or claim IRI -> the cell behind it
    elements: list[ox.NamedNode] = field(default_factory=list)
    # kg.pipeline.entail.superclasses of the ontology, as pyoxigraph terms: each type stated also
    # states its superclasses (an entry is an otkg:PackageElement too), as the build types instances
    supers: dict = field(default_factory=dict)
    typed: dict = field(default_factory=dict)  # instance -> the types stated so far

    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))
        if p == TYPE and o in self.supers:  # a claim's own nodes: typed untraced, as they are
            for sup in self.supers[o]:
                self.triples.append((s, p, sup))

    def claim(self, sheet: Sheet, cell: Cell, bodies: list[ox.NamedNode]) -> ox.NamedNode:
        """The claim quoting one cell: a Web Annotation whose target selects the cell twice over,
        by its exact text and by its A1 reference."""
        iri = f"{CLAIM}local/{sheet.slug}/{cell.ref}"
        node = _iri(iri)
        target, quote, where = (_iri(f"{iri}#{n}") for n in ("target", "quote", "cell"))
        add = self.add
        for t in CLAIM_TYPES:
            add(node, TYPE, t)
        add(node, MOTIVATED_BY, DESCRIBING)
        for body in bodies:
            add(node, HAS_BODY, body)
        add(node, QUOTED_FROM, self.document)
        add(node, HAS_TARGET, target)
        add(target, TYPE, SPECIFIC_RESOURCE)
        add(target, HAS_SOURCE, self.document)
        add(target, HAS_SELECTOR, quote)
        add(target, HAS_SELECTOR, where)
        add(quote, TYPE, QUOTE_SELECTOR)
        add(quote, EXACT, ox.Literal(cell.text))
        add(where, TYPE, CELL_SELECTOR)
        add(where, VALUE, ox.Literal(f"'{cell.sheet}'!{cell.ref}"))
        add(where, SHEET_NAME, ox.Literal(cell.sheet))
        add(where, ROW_NUMBER, ox.Literal(str(cell.row), datatype=INTEGER))
        add(where, COLUMN_LETTER, ox.Literal(column_letter(cell.column)))
        self.cells[iri] = cell
        return node

    def state(self, s, p, o, claim: ox.NamedNode) -> None:
        """A triple about an entity, with its reified statement that the claim supports."""
        st = statement_iri(s, p, o)
        self.triples += (
            (s, p, o),
            (st, TYPE, RDF_STATEMENT),
            (st, SUBJECT, s),
            (st, PREDICATE, p),
            (st, OBJECT, o),
            (claim, SUPPORTS, st),
        )
        if p == TYPE:
            # an entailed type rests on the claim of the type it follows from (kg.pipeline.entail)
            stated = self.typed.setdefault(s, set())
            stated.add(o)
            for sup in self.supers.get(o, ()):
                if sup not in stated:
                    self.state(s, p, sup, claim)
                    self.triples.append((statement_iri(s, p, sup), DERIVED, st))


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _heading(out: PackageTriples, sheet: Sheet, layout: Layout, code: int) -> None:
    """Document, trust and package, resting on the claims of B1 (the trust) and B2 (the cluster)."""
    trust, package = _iri(f"{ID}local/{sheet.slug}/trust"), out.package
    b1 = out.claim(sheet, layout.trust, [trust, package, out.document])
    b2 = out.claim(sheet, layout.cluster, [package])
    doc = out.document
    for p, o in (
        (TYPE, _t(OTKG.SourceDocument)),
        (TYPE, _t(OTKG.LocalSpreadsheet)),
        (_t(OTKG.fileName), ox.Literal(sheet.file_name)),
        (_t(OTKG.sha256), ox.Literal(sheet.sha256)),
        (_t(RDFS.label), _en(f"care package spreadsheet of {sheet.trust} for cluster {code}")),
        (_t(DCTERMS.rights), _en(SHEET_RIGHTS.format(trust=sheet.trust))),
    ):
        out.state(doc, p, o, b1)  # the sheet's description rests on whose sheet it says it is
    out.state(trust, TYPE, _t(OTKG.Organisation), b1)
    out.state(trust, _t(RDFS.label), _en(sheet.trust), b1)
    out.state(package, _t(OTKG.providedBy), trust, b1)
    for p, o in (
        (TYPE, _t(OTKG.LocalCarePackage)),
        (_t(OTKG.forCluster), _t(sheet.cluster)),
        (_t(OTKG.adaptedFrom), _t(sheet.adapted_from)),
        (_t(RDFS.label), _en(f"local care package of {sheet.trust} for cluster {code}")),
    ):
        out.state(package, p, o, b2)


def _element(
    out: PackageTriples, sheet: Sheet, entry: Entry, parsed: Parsed, columns: dict, code: int
) -> None:
    iri = f"{ID}local/{sheet.slug}/{entry.key}-{entry.position}"
    element = _iri(iri)
    claim = out.claim(sheet, entry.cell, [element])
    text = entry.cell.clean
    out.state(out.package, HAS_ELEMENT, element, claim)
    for p, o in (
        (TYPE, _t(parsed.cls)),
        (LABEL, _en(f"{sheet.trust} cluster {code} package: {text}")),
        (TEXT, ox.Literal(text)),
        (IN_COLUMN, _t(columns[entry.key])),
        (POSITION, ox.Literal(str(entry.position), datatype=INTEGER)),
        *((_t(lp), _t(lo)) for lp, lo in parsed.links),
    ):
        out.state(element, p, o, claim)
    out.cells[iri] = entry.cell
    out.elements.append(element)


def package_triples(
    sheet: Sheet, layout: Layout, parsed: list[Parsed], columns: dict, supers: Supers | None = None
) -> PackageTriples:
    """Every triple of the package graph; `parsed` holds each entry's reading, in layout order;
    `supers` (kg.pipeline.entail.superclasses of the ontology) adds the entailed types."""
    # every IRI of the package lies under id/local/{slug}/, the namespace its upload may write
    # (kg.contrib.namespace): the sheet too, so the same file under two slugs makes two documents
    out = PackageTriples(
        package=_iri(f"{ID}local/{sheet.slug}/package"),
        document=_iri(f"{ID}local/{sheet.slug}/sheet-{sheet.sha256[:16]}"),
        supers={_t(c): [_t(x) for x in sorted(up)] for c, up in (supers or {}).items()},
    )
    _heading(out, sheet, layout, layout.code)
    for entry, reading in zip(layout.entries, parsed, strict=True):
        _element(out, sheet, entry, reading, columns, layout.code)
    out.cells.setdefault(out.package.value, layout.cluster)
    return out
