"""Synthetic graphs of the real shape, for scale tests and benchmarks (never mixed with real data).

Each synthetic Trust has a plain-text local document and, per care cluster, a local care package
adapted from the national one, with elements that specify real interventions, outcomes measured by
MOHO tools, figures, and references cited by quoted claims. Records go through the real Assembler,
so claims, selectors and reified statements have exactly the shape of the real graph.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from ..seeds import Document
from ..terms import load_terms
from .assemble import Assembler
from .build import to_nquads
from .curation import Record

CLUSTERS = [0, *range(1, 9), *range(10, 22)]
KINDS = ["element-kind-core", "element-kind-essential", "element-kind-variance"]
COLUMNS = [
    "ot-column-assessment",
    "ot-column-challenges",
    "ot-column-outcome",
    "ot-column-intervention",
    "ot-column-added-value",
    "ot-column-skill-level",
    "ot-column-contact",
    "ot-column-resources",
]
MOHO = ["mohost", "ocairs", "osa", "vq", "acis", "role-checklist", "interest-checklist", "wri"]
AREAS = [
    "challenge-motivation",
    "challenge-routines",
    "challenge-communication",
    "challenge-organisation",
    "challenge-mobility",
    "challenge-environment",
]
SEVERITIES = ["severity-major", "severity-moderate", "severity-minor"]
PRIORITIES = ["priority-specific-focus", "priority-if-need-identified"]
BENEFICIARIES = ["beneficiary-service-users", "beneficiary-organisation"]
LEVELS = [f"sfh-level-{n}" for n in (5, 6, 7)]
# Entities the synthetic records point at; the benchmark graph carries minimal stand-ins for them.
SHARED = (
    [f"cluster-{c}" for c in CLUSTERS]
    + KINDS
    + COLUMNS
    + MOHO
    + AREAS
    + SEVERITIES
    + PRIORITIES
    + BENEFICIARIES
    + LEVELS
    + ["ot-indicative-package"]
    + [f"intervention-{n:02d}" for n in range(1, 25)]
    + ["otkg-curators"]
)


def _trust_records(t: int, rng: random.Random, own: str = "") -> tuple[Document, list[Record]]:
    """One synthetic Trust: its document text and the records quoting it. With `own` ('local/{slug}/'),
    every IRI of the Trust lies under that slug, as an upload's must (kg.contrib.namespace)."""
    doc_id, lines, recs = f"{own}syn-doc-{t}", [], []
    graph = doc_id if own else f"synthetic-{t}"

    def rec(rid, types, sentence, cites=(), **props):
        lines.append(sentence)
        recs.append(Record(graph, doc_id, doc_id, rid, types, {"quote": sentence}, list(cites), props))

    refs = [f"{own}syn-ref-{t}-{k}" for k in range(12)]
    for k, ref in enumerate(refs):
        rec(
            ref,
            ["EvidenceReference"],
            f"Reference {ref}: Author {k} of Trust {t} ({2000 + k}) evaluation {k}.",
            label=f"reference {ref}",
            yearAsGiven=str(2000 + k),
            date=2000 + k,
        )
    rec(
        f"{own}syn-trust-{t}",
        ["Organisation"],
        f"Synthetic NHS Trust number {t} adopted local care packages.",
        label=f"Synthetic NHS Trust {t}",
    )
    for c in CLUSTERS:
        pkg, elements = f"{own}syn-pkg-{t}-{c}", [f"{own}syn-el-{t}-{c}-{e}" for e in range(3)]
        sheet = [f"{own}syn-cell-{t}-{c}-{k}" for k in range(6)] + [
            f"{own}syn-oe-{t}-{c}-{e}" for e in range(3)
        ]
        rec(
            pkg,
            ["LocalCarePackage"],
            f"Trust {t} package {pkg} adapts the national package for cluster {c}.",
            label=f"local care package of trust {t} for cluster {c}",
            forCluster=f"cluster-{c}",
            adaptedFrom="ot-indicative-package",
            providedBy=f"{own}syn-trust-{t}",
            hasElement=elements + sheet,
        )
        for e, el in enumerate(elements):
            out, iv = f"{own}syn-out-{t}-{c}-{e}", f"intervention-{rng.randint(1, 24):02d}"
            rec(
                out,
                ["Outcome"],
                f"Outcome {out} of Trust {t}: better participation in daily occupation {e}.",
                [rng.choice(refs)],
                label=f"outcome {out}",
                measuredBy=rng.choice(MOHO),
            )
            rec(
                el,
                ["InterventionEntry"],
                f"Element {el} of package {pkg} delivers {iv} with outcome {out}.",
                [rng.choice(refs)],
                label=f"element {el}",
                elementKind=KINDS[e],
                inColumn="ot-column-intervention",
                elementPosition=e + 1,
                specifies=iv,
                text=f"delivers {iv} for cluster {c}",
            )
            rec(
                f"{own}syn-oe-{t}-{c}-{e}",
                ["OutcomeEntry"],
                f"Package {pkg} aims at outcome {out} ({e}).",
                label=f"outcome entry {e} of {pkg}",
                inColumn="ot-column-outcome",
                elementPosition=e + 1,
                specifies=out,
            )
        _sheet_cells(rec, rng, pkg, sheet[:6])
        stat = f"{own}syn-stat-{t}-{c}"
        rec(
            stat,
            ["QuantitativeClaim"],
            f"In Trust {t}, {rng.randint(5, 95)} percent of cluster {c} users engaged.",
            [rng.choice(refs)],
            label=f"engagement figure {stat}",
            value=rng.randint(5, 95),
            unit="percent",
            population=f"service users of cluster {c} in Trust {t}",
            statisticSource=rng.choice(refs),
        )
    text = "\n".join(lines) + "\n"
    doc = Document(
        doc_id, f"{doc_id.rsplit('/', 1)[-1]}.txt", hashlib.sha256(text.encode()).hexdigest(), text
    )
    recs.append(
        Record(
            graph,
            doc_id if own else None,
            doc_id,
            doc_id,
            ["SourceDocument"],
            # an upload's document rests on its own first line, never on the curators' word
            {"quote": lines[0]} if own else {"curated": "synthetic", "strength": "supported"},
            [],
            {
                "label": f"synthetic document {t}",
                "fileName": doc.file,
                "sha256": doc.sha256,
                "dcterms:rights": "Synthetic text made by otkg's scale generator for benchmarks; no rights in it.",
            },
        )
    )
    return doc, recs


def _sheet_cells(rec, rng: random.Random, pkg: str, ids: list[str]) -> None:
    """The package's other six columns, one entry each, so that every package is complete."""
    area, lo = rng.choice(AREAS), rng.choice(LEVELS[:2])
    cells: list[tuple[list[str], str, dict[str, object]]] = [
        (
            ["AssessmentFocus"],
            "ot-column-assessment",
            {"concernsChallenge": area, "assessmentPriority": rng.choice(PRIORITIES)},
        ),
        (
            ["ChallengeRating"],
            "ot-column-challenges",
            {"concernsChallenge": area, "severity": rng.choice(SEVERITIES)},
        ),
        (
            ["AddedValueEntry"],
            "ot-column-added-value",
            {"valueTo": rng.choice(BENEFICIARIES), "text": "fewer admissions"},
        ),
        (["SkillLevelEntry"], "ot-column-skill-level", {"minSkillLevel": lo, "maxSkillLevel": LEVELS[2]}),
        (["ContactEntry"], "ot-column-contact", {"averageContactHours": rng.randint(5, 40)}),
        (["ResourceEntry"], "ot-column-resources", {"text": "activity materials"}),
    ]
    for rid, (types, column, props) in zip(ids, cells, strict=True):
        rec(
            rid,
            types,
            f"Package {pkg} entry {rid} in {column}.",
            label=f"entry {rid}",
            inColumn=column,
            elementPosition=1,
            **props,
        )


# The class of each stand-in, with the superclass a QC query looks for (the ontology is not loaded).
STAND_IN_TYPES = {
    "cluster-": ["CareCluster"],
    "intervention-": ["Intervention"],
    "ot-column-": ["PackageColumn"],
    "challenge-": ["ChallengeArea", "OccupationalChallenge"],
    "severity-": ["ChallengeSeverity"],
    "priority-": ["AssessmentPriority"],
    "beneficiary-": ["Beneficiary"],
    "sfh-level-": ["SkillLevel"],
}


def _stand_in_types(rid: str) -> list[str]:
    if rid in MOHO:
        return ["MOHOTool", "OutcomeMeasure"]
    return next((t for p, t in STAND_IN_TYPES.items() if rid.startswith(p)), ["skos:Concept"])


def _stand_ins() -> list[Record]:
    return [
        Record(
            "synthetic",
            None,
            "syn-shared",
            rid,
            _stand_in_types(rid),
            {"curated": "stand-in for a real entity", "strength": "supported"},
            [],
            {"label": rid, **({"definition": f"definition of {rid}"} if rid.startswith("interv") else {})},
        )
        for rid in SHARED
    ]


def generate(target_triples: int, seed: int = 7) -> tuple[str, dict[str, Document]]:
    """N-Quads of at least `target_triples` quads (whole Trusts), and the synthetic documents."""
    rng, terms = random.Random(seed), load_terms()
    docs: dict[str, Document] = {}
    records = _stand_ins()
    asm = Assembler(terms, docs, set(SHARED))
    for r in records:
        asm.add_record(r)
    t = 0
    while len(asm.quads) < target_triples:
        doc, recs = _trust_records(t, rng)
        docs[doc.id] = doc
        asm.known_ids |= {r.id for r in recs}
        for r in recs:
            asm.add_record(r)
        t += 1
    return to_nquads(asm.quads), docs


def write_scale(target_triples: int, out_dir: Path) -> Path:
    """Write the synthetic graph (and its documents) under out_dir; returns the N-Quads path."""
    nquads, _ = generate(target_triples)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"scale-{target_triples}.nq"
    path.write_text(nquads, encoding="utf-8")
    return path


def trust_upload(t: int, slug: str, seed: int = 7) -> bytes:
    """One synthetic Trust's document record, claims and local packages as N-Triples: what its lead
    would upload as local graph `slug` (the shared entities it points at stay outside)."""
    doc, recs = _trust_records(t, random.Random(seed + t), f"local/{slug}/")
    asm = Assembler(load_terms(), {doc.id: doc}, set(SHARED) | {r.id for r in recs})
    for r in recs:
        asm.add_record(r)
    return "".join(
        sorted({" ".join(line.split(" ")[:-2]) + " .\n" for line in to_nquads(asm.quads).splitlines()})
    ).encode("utf-8")
