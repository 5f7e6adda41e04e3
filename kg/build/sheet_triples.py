"""The triples of an imported package sheet: document, trust, package, one element per cell, and
for every triple a reified statement supported by a claim that quotes the cell it came from.

Fourth step of a sheet import (kg.build.sheet_import calls it once the cells have parsed): the same
claim/statement shape kg.build.assemble gives the seed documents, with a cell selector ('Package'!D5)
in place of character offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..namespaces import CLAIM, ID, OA, OTKG
from .assemble import statement_iri
from .sheet_grammar import Parsed
from .sheet_layout import Cell, Entry, Layout
from .sheet_read import column_letter

# A Trust's sheet carries no licence cell, so its rights are said as for the seeds that state none
# (kg/curation/documents.yaml): its quoted cells stay the Trust's, outside the dataset's licence.
SHEET_RIGHTS = (
    "The spreadsheet of {trust} states no licence. Its cells are quoted here only as evidence for the "
    "statements that cite them; they are not covered by the dataset's CC BY 4.0 licence, and any "
    "rights in them remain with their owners."
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
    package: URIRef
    document: URIRef
    triples: list[tuple] = field(default_factory=list)
    cells: dict[URIRef, Cell] = field(default_factory=dict)  # entity or claim -> the cell behind it
    elements: list[URIRef] = field(default_factory=list)

    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def claim(self, sheet: Sheet, cell: Cell, bodies: list[URIRef]) -> URIRef:
        """The claim quoting one cell: a Web Annotation whose target selects the cell twice over,
        by its exact text and by its A1 reference."""
        node = CLAIM[f"local/{sheet.slug}/{cell.ref}"]
        target, quote, where = (URIRef(f"{node}#{n}") for n in ("target", "quote", "cell"))
        for t in (OTKG.Claim, OA.Annotation, PROV.Entity):
            self.add(node, RDF.type, t)
        self.add(node, OA.motivatedBy, OA.describing)
        for body in bodies:
            self.add(node, OA.hasBody, body)
        self.add(node, PROV.wasQuotedFrom, self.document)
        self.add(node, OA.hasTarget, target)
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, self.document)
        self.add(target, OA.hasSelector, quote)
        self.add(target, OA.hasSelector, where)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(cell.text))
        self.add(where, RDF.type, OA.FragmentSelector)
        self.add(where, RDF.value, Literal(f"'{cell.sheet}'!{cell.ref}"))
        self.add(where, OTKG.sheetName, Literal(cell.sheet))
        self.add(where, OTKG.rowNumber, Literal(str(cell.row), datatype=XSD.integer))
        self.add(where, OTKG.columnLetter, Literal(column_letter(cell.column)))
        self.cells[node] = cell
        return node

    def state(self, s, p, o, claim: URIRef) -> None:
        """A triple about an entity, with its reified statement that the claim supports."""
        st = statement_iri(s, p, o)
        for t in (
            (s, p, o),
            (st, RDF.type, RDF.Statement),
            (st, RDF.subject, s),
            (st, RDF.predicate, p),
            (st, RDF.object, o),
            (claim, OTKG.supports, st),
        ):
            self.add(*t)


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _heading(out: PackageTriples, sheet: Sheet, layout: Layout, code: int) -> None:
    """Document, trust and package, resting on the claims of B1 (the trust) and B2 (the cluster)."""
    trust, package = ID[f"local/{sheet.slug}/trust"], out.package
    b1 = out.claim(sheet, layout.trust, [trust, package, out.document])
    b2 = out.claim(sheet, layout.cluster, [package])
    doc = out.document
    for p, o in (
        (RDF.type, OTKG.SourceDocument),
        (RDF.type, OTKG.LocalSpreadsheet),
        (OTKG.fileName, Literal(sheet.file_name)),
        (OTKG.sha256, Literal(sheet.sha256)),
        (RDFS.label, _en(f"care package spreadsheet of {sheet.trust} for cluster {code}")),
        (DCTERMS.rights, _en(SHEET_RIGHTS.format(trust=sheet.trust))),
    ):
        out.state(doc, p, o, b1)  # the sheet's description rests on whose sheet it says it is
    out.state(trust, RDF.type, OTKG.Organisation, b1)
    out.state(trust, RDFS.label, _en(sheet.trust), b1)
    out.state(package, OTKG.providedBy, trust, b1)
    for p, o in (
        (RDF.type, OTKG.LocalCarePackage),
        (OTKG.forCluster, sheet.cluster),
        (OTKG.adaptedFrom, sheet.adapted_from),
        (RDFS.label, _en(f"local care package of {sheet.trust} for cluster {code}")),
    ):
        out.state(package, p, o, b2)


def _element(
    out: PackageTriples, sheet: Sheet, entry: Entry, parsed: Parsed, columns: dict, code: int
) -> None:
    element = ID[f"local/{sheet.slug}/{entry.key}-{entry.position}"]
    claim = out.claim(sheet, entry.cell, [element])
    text = entry.cell.clean
    out.state(out.package, OTKG.hasElement, element, claim)
    for p, o in (
        (RDF.type, parsed.cls),
        (RDFS.label, _en(f"{sheet.trust} cluster {code} package: {text}")),
        (OTKG.text, Literal(text)),
        (OTKG.inColumn, columns[entry.key]),
        (OTKG.elementPosition, Literal(str(entry.position), datatype=XSD.integer)),
        *parsed.links,
    ):
        out.state(element, p, o, claim)
    out.cells[element] = entry.cell
    out.elements.append(element)


def package_triples(sheet: Sheet, layout: Layout, parsed: list[Parsed], columns: dict) -> PackageTriples:
    """Every triple of the package graph; `parsed` holds each entry's reading, in layout order."""
    # every IRI of the package lies under id/local/{slug}/, the namespace its upload may write
    # (kg.contrib.namespace): the sheet too, so the same file under two slugs makes two documents
    out = PackageTriples(
        package=ID[f"local/{sheet.slug}/package"], document=ID[f"local/{sheet.slug}/sheet-{sheet.sha256[:16]}"]
    )
    _heading(out, sheet, layout, layout.code)
    for entry, reading in zip(layout.entries, parsed, strict=True):
        _element(out, sheet, entry, reading, columns, layout.code)
    out.cells.setdefault(out.package, layout.cluster)
    return out
