"""Nothing a write replaces is lost (issue 20): every version of a local graph is kept as a file,
and every write is a PROV activity in the audit graph (who by credential label, when, the SHA-256 of
what was sent, the triple count, the result), committed in the same store generation as the write.

Files: `{store}/history/{slug}/{n:06d}.nt` holds write n's triples (sorted N-Triples), written and
synced before the commit that serves them; a removal leaves `{n:06d}.deleted`. Write numbers only
grow, so a restore is a new write, and a write killed before its commit leaves an unused file that
no activity names. IRIs: activity <.../audit/{slug}/{n}>, version <.../graph/local/{slug}/version/{n}>.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import BASE, OTKG
from ..store.seam import AUDIT_GRAPH, LOCAL_GRAPHS, Added
from .credentials import Credential

AUDIT = BASE + "audit/"
PROV, RDFS = "http://www.w3.org/ns/prov#", "http://www.w3.org/2000/01/rdf-schema#"
XSD, VOID = "http://www.w3.org/2001/XMLSchema#", "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
WRITES_QUERY = f"""PREFIX prov: <{PROV}> PREFIX otkg: <{OTKG}> PREFIX rdfs: <{RDFS}>
PREFIX void: <{VOID}>
SELECT ?activity ?result ?when ?who ?sha ?triples ?used WHERE {{
  ?activity a prov:Activity ; otkg:writeResult ?result ; prov:endedAtTime ?when ;
            prov:wasAssociatedWith/rdfs:label ?who .
  OPTIONAL {{ ?activity otkg:sha256 ?sha }} OPTIONAL {{ ?activity void:triples ?triples }}
  OPTIONAL {{ ?activity prov:used ?used }}
}}"""


@dataclass(frozen=True)
class Write:
    """One write as history records it: `triples` None for a removal, `restores` a write number."""

    slug: str
    credential: Credential
    triples: list[ox.Triple] | None
    body_sha256: str = ""
    restores: int | None = None


@dataclass(frozen=True)
class Version:
    number: int
    result: str  # created, replaced, deleted or restored
    when: str
    by: str  # the credential's label
    sha256: str
    triples: int
    restores: int | None

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def folder(store_root: Path, slug: str) -> Path:
    return store_root / "history" / slug


def _next_number(store_root: Path, slug: str) -> int:
    done = folder(store_root, slug)
    numbers = [int(p.name.split(".")[0]) for p in done.iterdir()] if done.exists() else []
    return max(numbers, default=0) + 1


def _write_file(path: Path, data: bytes) -> None:
    """The file whole and synced under a new name, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def ntriples(triples: list[ox.Triple]) -> bytes:
    return "".join(sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)).encode()


class Recorder:
    """The `record` callback of kg.store.seam.commit_graph for one write: keeps the version's file
    and returns the audit graph's triples, under the store's lock (so write numbers never collide).
    A commit that then fails calls discard(), so the file goes with it."""

    def __init__(self, store_root: Path, write: Write):
        self.root, self.write = store_root, write
        self.path: Path | None = None

    def __call__(self, existed: bool) -> Added:
        write = self.write
        n = _next_number(self.root, write.slug)
        name = f"{n:06d}.deleted" if write.triples is None else f"{n:06d}.nt"
        self.path = folder(self.root, write.slug) / name
        _write_file(self.path, b"" if write.triples is None else ntriples(write.triples))
        if write.triples is None:
            result = "deleted"
        else:
            result = "restored" if write.restores else ("replaced" if existed else "created")
        return {AUDIT_GRAPH: _activity(write, n, result)}

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            if not any(self.path.parent.iterdir()):
                self.path.parent.rmdir()
            if not any(self.path.parent.parent.iterdir()):
                self.path.parent.parent.rmdir()


def _activity(write: Write, n: int, result: str) -> list[ox.Triple]:
    """Write n as a PROV activity, with the version it generated (or, removing, invalidated)."""
    activity = ox.NamedNode(f"{AUDIT}{write.slug}/{n}")
    graph = ox.NamedNode(LOCAL_GRAPHS + write.slug)
    agent = ox.NamedNode(f"{AUDIT}credential/{write.credential.sha256[:16]}")
    now = ox.Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=ox.NamedNode(XSD + "dateTime"))
    out = [
        ox.Triple(activity, RDF_TYPE, ox.NamedNode(PROV + "Activity")),
        ox.Triple(
            activity,
            ox.NamedNode(RDFS + "label"),
            ox.Literal(f"{result} local graph '{write.slug}' (write {n})"),
        ),
        ox.Triple(activity, ox.NamedNode(PROV + "endedAtTime"), now),
        ox.Triple(activity, ox.NamedNode(str(OTKG.writeResult)), ox.Literal(result)),
        ox.Triple(activity, ox.NamedNode(PROV + "wasAssociatedWith"), agent),
        ox.Triple(agent, RDF_TYPE, ox.NamedNode(PROV + "Agent")),
        ox.Triple(agent, ox.NamedNode(RDFS + "label"), ox.Literal(write.credential.label)),
    ]
    if write.triples is None:
        return [*out, ox.Triple(activity, ox.NamedNode(PROV + "invalidated"), graph)]
    version = ox.NamedNode(f"{graph.value}/version/{n}")
    count = ox.Literal(str(len(write.triples)), datatype=ox.NamedNode(XSD + "integer"))
    out += [
        ox.Triple(activity, ox.NamedNode(PROV + "generated"), version),
        ox.Triple(activity, ox.NamedNode(str(OTKG.sha256)), ox.Literal(write.body_sha256)),
        ox.Triple(activity, ox.NamedNode(VOID + "triples"), count),
        ox.Triple(version, RDF_TYPE, ox.NamedNode(PROV + "Entity")),
        ox.Triple(version, ox.NamedNode(PROV + "specializationOf"), graph),
        ox.Triple(version, ox.NamedNode(PROV + "generatedAtTime"), now),
    ]
    if write.restores:
        used = ox.NamedNode(f"{graph.value}/version/{write.restores}")
        out += [
            ox.Triple(activity, ox.NamedNode(PROV + "used"), used),
            ox.Triple(version, ox.NamedNode(PROV + "wasDerivedFrom"), used),
        ]
    return out


def versions(store, slug: str) -> list[Version]:
    """Every write of local graph `slug`, oldest first, from the audit graph of `store`."""
    prefix = f"{AUDIT}{slug}/"
    found = []
    for row in store.query(WRITES_QUERY, default_graph=[ox.NamedNode(AUDIT_GRAPH)]):
        iri = row["activity"].value
        if not iri.startswith(prefix) or not iri[len(prefix) :].isdigit():
            continue
        used = row["used"]
        found.append(
            Version(
                int(iri[len(prefix) :]),
                row["result"].value,
                row["when"].value,
                row["who"].value,
                row["sha"].value if row["sha"] else "",
                int(row["triples"].value) if row["triples"] else 0,
                int(used.value.rsplit("/", 1)[-1]) if used else None,
            )
        )
    return sorted(found, key=lambda v: v.number)


def stored_triples(store_root: Path, slug: str, number: int) -> list[ox.Triple]:
    """The triples write `number` stored; LookupError if it stored none (a removal, or no such write)."""
    path = folder(store_root, slug) / f"{number:06d}.nt"
    if not path.exists():
        raise LookupError(f"local graph '{slug}' has no stored version {number}")
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
