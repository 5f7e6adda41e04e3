"""The one path every write takes (issue 20), alike for the PUT route, spreadsheet imports,
/contribute and the CLI: credential -> parse -> content rules -> validation -> commit with its
history. (The API then refreshes its search index: kg/ knows nothing of the API's processes.)

Every refusal is a `Refused` naming what was wrong, raised before anything is committed.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..pipeline import upload
from ..pipeline.sheet_import import import_sheet
from ..pipeline.sheet_read import CSV_TYPE, XLSX_TYPE, Problem, SheetError
from ..store.seam import GraphStore
from . import credentials, history
from .content_rules import MAX_LISTED, Offence, Vocabulary, offences
from .credentials import Credential

SHEET_TYPES = (XLSX_TYPE, CSV_TYPE)
QUOTE_NODE = re.compile(r"/claim/local/[^/]+/([A-Z]{1,3})([0-9]{1,7})#quote$")


class Refused(Exception):
    """An upload or write that cannot be done: `status` the HTTP status, `extra` the problem's lists
    (`errors` for sheet cells, `offences` for content rules, `violations` for validation)."""

    def __init__(self, status: int, title: str, detail: str, **extra):
        super().__init__(detail)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra
        self.problems: list[Problem] = []  # a sheet's, where it has cells to name

    def __reduce__(self):  # raised in a checking process (checked_apart), read in the API process
        return _refused, (self.status, self.title, self.detail, self.extra, self.problems)


def _refused(status: int, title: str, detail: str, extra: dict, problems: list[Problem]) -> Refused:
    refused = Refused(status, title, detail, **extra)
    refused.problems = problems
    return refused


@dataclass(frozen=True)
class Upload:
    """What a client sends: the body for local graph `slug`; a sheet also says its trust and cluster."""

    slug: str
    body: bytes
    media: str
    trust: str = ""
    cluster: str = ""
    file_name: str = ""


@dataclass(frozen=True)
class Checked:
    """An upload that passed every check, ready to publish."""

    upload: Upload
    graph: str
    triples: list[ox.Triple]
    package: str | None = None  # a sheet's package IRI
    sha256: str = field(default="")


@dataclass(frozen=True)
class Published:
    graph: str
    generation: str
    existed: bool
    triples: int


class Keys:
    """The first step: the credentials of the store rooted at `store_root` (its credentials.json,
    and admin digests from the older setting)."""

    def __init__(self, store_root: Path, env_digests: str = ""):
        self.file, self.env_digests = Path(store_root) / "credentials.json", env_digests

    def any(self) -> bool:
        return credentials.configured(self.file, self.env_digests)

    def check(self, token: str, slug: str) -> Credential:
        """The credential of `token` if it may write local graph `slug` (CredentialError otherwise)."""
        graph_of(slug)  # a bad slug is named before the credential is judged
        cred = credentials.authenticate(self.file, token, self.env_digests)
        credentials.authorise(cred, slug)
        return cred


def graph_of(slug: str) -> str:
    """The IRI of local graph `slug`; Refused (400) for a name that is not a slug."""
    try:
        return upload.graph_iri(slug)
    except upload.UploadError as exc:
        raise Refused(exc.status, exc.title, exc.detail) from None


class Writer:
    """The steps after the credential, on the embedded disk store rooted at `store_root`, which
    `store` serves."""

    def __init__(self, store: GraphStore, store_root: Path, ontology: Graph):
        self.store, self.root, self.ontology = store, Path(store_root), ontology
        self.vocab = Vocabulary.from_ontology(ontology)

    # -- parse, content rules, validation -----------------------------------------------------
    def check(self, up: Upload) -> Checked:
        """Parse the upload, apply the content rules and validate it; Refused on any problem."""
        try:
            graph = upload.graph_iri(up.slug)
            if up.media in SHEET_TYPES:
                return self._check_sheet(up, graph)
            return self.check_rdf(up, graph)
        except upload.UploadError as exc:
            raise _upload_refused(exc) from None
        except RecursionError:  # the parsers' depth checks come first; should any check recurse, a 4xx
            raise Refused(422, "Nested too deep", "the upload nests too deep to be checked") from None

    def check_rdf(self, up: Upload, graph: str) -> Checked:
        """An RDF upload's checks, which need the ontology alone (not the store): checked_apart
        runs them in another process."""
        try:
            triples = upload.parse(up.body, upload.upload_format(up.media), graph)
            self._rules(triples, up.slug)
            upload.validate(triples, self.ontology)
        except upload.UploadError as exc:
            raise _upload_refused(exc) from None
        except RecursionError:  # the parsers' depth checks come first; should any check recurse, a 4xx
            raise Refused(422, "Nested too deep", "the upload nests too deep to be checked") from None
        return Checked(up, graph, triples, sha256=hashlib.sha256(up.body).hexdigest())

    def _rules(self, triples: list[ox.Triple], slug: str) -> None:
        found = offences(triples, slug, self.vocab)
        if found:
            raise Refused(
                422,
                "Upload breaks the content rules",
                f"{len(found)} triple(s) break what an upload for local graph '{slug}' may say; nothing was stored",
                offences=[o.as_dict() for o in found[:MAX_LISTED]],
            )

    def _check_sheet(self, up: Upload, graph: str) -> Checked:
        for name in ("trust", "cluster"):
            value = getattr(up, name).strip()
            if not value or len(value) > 500:
                raise Refused(
                    422,
                    "Invalid parameter",
                    f"parameter '{name}': required with a spreadsheet upload (it must match the sheet)",
                    parameter=name,
                )
        file_name = up.file_name or f"{up.slug}.{'csv' if up.media == CSV_TYPE else 'xlsx'}"
        try:
            done = import_sheet(
                up.body, up.media, file_name, up.trust, up.cluster, self.store, self.ontology, up.slug
            )
            _no_deep_parts(up)
        except SheetError as exc:
            raise _sheet_refused(exc.problems) from None
        found = offences(done.triples, up.slug, self.vocab)
        if found:  # text the sheet's own checks let by (a formula start other than '='): name its cell
            raise _sheet_refused(_cells(found, done.triples) or [Problem(None, None, None, found[0].rule)])
        return Checked(up, done.graph, done.triples, done.package, hashlib.sha256(up.body).hexdigest())

    # -- commit and history -------------------------------------------------------------------
    def publish(self, checked: Checked, cred: Credential) -> Published:
        """Commit a checked upload as its local graph, with its version and audit record."""
        return self._commit(history.Write(checked.upload.slug, cred, checked.triples, checked.sha256))

    def remove(self, slug: str, cred: Credential) -> Published:
        """Remove a local graph (LookupError if there is none); its versions stay restorable."""
        self.graph(slug)
        return self._commit(history.Write(slug, cred, None))

    def restore(self, slug: str, number: int, cred: Credential) -> Published:
        """Make version `number` of local graph `slug` its content again, as a new write."""
        self.graph(slug)
        triples = history.stored_triples(self.root, slug, number)
        sha = hashlib.sha256(history.ntriples(triples)).hexdigest()
        return self._commit(history.Write(slug, cred, triples, sha, restores=number))

    def _commit(self, write: history.Write) -> Published:
        """The write and its audit record in one new store generation; its version file goes if
        the commit fails."""
        graph, recorder = upload.graph_iri(write.slug), history.Recorder(self.root, write)
        try:
            generation, existed = self.store.commit(graph, write.triples, recorder)
        except BaseException:
            recorder.discard()
            raise
        return Published(graph, generation, existed, len(write.triples or ()))

    def graph(self, slug: str) -> str:
        return graph_of(slug)

    def exists(self, slug: str) -> bool:
        return self.graph(slug) in self.store.graph_names()

    def history(self, slug: str) -> list[history.Version]:
        self.graph(slug)
        return history.versions(self.store, slug)


def _upload_refused(exc: upload.UploadError) -> Refused:
    extra = {"violations": exc.violations} if exc.violations else {}
    return Refused(exc.status, exc.title, exc.detail, **extra)


# -- the checks in a process of their own ---------------------------------------------------------
# Parsing and validating a 10 MB upload holds the GIL for up to 0.27 s at a time (0.8 s on a loaded
# box): in a thread of the API process, every reader of that process waited as long (issue 22, item 7).
_checker: Writer | None = None  # the checking process's, made by start_checker


def start_checker(niceness: int) -> None:
    """A checking process's start: the ontology loaded once, at a lower CPU priority than the API
    processes, whose readers' quick answers then get the cores first."""
    global _checker
    from ..terms import load_ontology

    os.nice(niceness)
    _checker = Writer(None, Path("."), load_ontology())  # type: ignore[arg-type]  # RDF checks need no store


# Triples per pickle sent back: unpickling 40,756 triples at once held the GIL for 0.35 s.
CHUNK = 2000
Packed = tuple[Checked, list[bytes]]  # the upload checked, less its triples; its triples in chunks


def checked_apart(up: Upload) -> Packed:
    """Writer.check_rdf in a checking process (see start_checker), packed for unpacked()."""
    assert _checker is not None, "start_checker first"
    try:
        checked = _checker.check_rdf(up, upload.graph_iri(up.slug))
    except upload.UploadError as exc:
        raise _upload_refused(exc) from None
    t = checked.triples
    chunks = [pickle.dumps(t[i : i + CHUNK], pickle.HIGHEST_PROTOCOL) for i in range(0, len(t), CHUNK)]
    return replace(checked, triples=[]), chunks


def unpacked(packed: Packed) -> Checked:
    """What checked_apart sent, whole again: a chunk at a time, so that the event loop of the
    process reading it gets the GIL between chunks."""
    checked, chunks = packed
    triples: list[ox.Triple] = []
    for chunk in chunks:
        triples.extend(pickle.loads(chunk))
    return replace(checked, triples=triples)


def _sheet_refused(problems: list[Problem]) -> Refused:
    refused = Refused(
        422,
        "Invalid spreadsheet",
        f"{len(problems)} problem(s); nothing was stored. First: {problems[0]}",
        errors=[p.as_dict() for p in problems],
    )
    refused.problems = problems  # the command line prints them as they are
    return refused


def _cells(found: list[Offence], triples: list[ox.Triple]) -> list[Problem]:
    """The cells behind offences against a cell's quoted text (oa:exact of its claim's quote)."""
    sheets = {
        str(t.subject).strip("<>").split("#")[0]: str(t.object.value)
        for t in triples
        if t.predicate.value.endswith("#sheetName") and isinstance(t.object, ox.Literal)
    }
    out = []
    for o in found:
        if "<http://www.w3.org/ns/oa#exact>" not in o.triple:
            continue
        node = o.triple.split(" ", 1)[0].strip("<>")
        where = QUOTE_NODE.search(node)
        if where:
            out.append(Problem(sheets.get(node.split("#")[0]), int(where.group(2)), where.group(1), o.rule))
    return out


def _no_deep_parts(up: Upload) -> None:
    """No part of a workbook nests deeper than an RDF/XML upload may (issue 22): openpyxl reads all
    but the worksheets with lxml, which stops at 256 levels, and the worksheets with an iterparse
    that skips what it does not know, however deep. import_sheet has checked the archive's size."""
    if up.media != XLSX_TYPE:
        return
    with zipfile.ZipFile(io.BytesIO(up.body)) as workbook:
        for part in workbook.infolist():
            if (
                part.filename.endswith((".xml", ".rels"))
                and upload.xml_depth(workbook.read(part)) > upload.MAX_DEPTH
            ):
                raise Refused(
                    422,
                    "Nested too deep",
                    f"'{part.filename}' in the workbook nests XML elements more than {upload.MAX_DEPTH} levels "
                    f"deep; at most {upload.MAX_DEPTH} are allowed",
                )
