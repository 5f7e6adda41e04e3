"""A disk store holding the real graph and 20 Trusts' uploads, three of them the same package under
three slugs (issue 20, item 3): what the national pages are measured and tested against.

Every upload goes through the write path's checks (kg.contrib.write_path.Writer.check: parse,
content rules, validation), then all of them are committed in one store generation, as 20 PUTs
would leave the store less their audit records (20 commits took 3.5 minutes; one takes seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from otkg.kg.contrib.write_path import Checked, Upload, Writer
from otkg.kg.pipeline.release import read_release
from otkg.kg.pipeline.scale import trust_upload
from otkg.kg.store.seam import commit_graph, open_release
from otkg.kg.terms import load_ontology

ROOT = Path(__file__).parent.parent
SHEET = ROOT / "tests" / "data" / "sheets" / "synthetic-trust-cluster-2.csv"  # a Trust's cluster 2 package
CSV, NT = "text/csv", "application/n-triples"
TWINS = 3  # the same package under this many slugs
LINKED = 7  # synthetic Trust 7's packages specify intervention-04 seven times (trust_upload(7, ...))


@dataclass(frozen=True)
class Loaded:
    store_root: Path
    uploads: list[Upload]
    graphs: list[str]
    triples: int


def sheet(trust: str | None = None) -> tuple[bytes, str]:
    """The fixture sheet's CSV, renamed to `trust` if given, and the Trust it names."""
    first, rest = SHEET.read_text(encoding="utf-8").split("\n", 1)
    name = trust or first.split(",", 1)[1]
    return f"Trust,{name}\n{rest}".encode(), name


def uploads(trusts: int) -> list[Upload]:
    """20 uploads: the cluster 2 sheet under slugs twin-sheet-a..c and Trust 7's package under
    twin-trust-a..c (each set identical, its IRIs under its own slug), then 14 others: `trusts` of
    them synthetic Trusts' packages (20,378 triples each, all 21 clusters), the rest the cluster 2
    sheet as other Trusts' (1,677 triples each)."""
    body, name = sheet()
    out = [Upload(f"twin-sheet-{c}", body, CSV, name, "2") for c in "abc"[:TWINS]]
    out += [Upload(f"twin-trust-{c}", trust_upload(LINKED, f"twin-trust-{c}"), NT) for c in "abc"[:TWINS]]
    others = [t for t in range(1, 16) if t != LINKED][:trusts]
    out += [Upload(f"trust-{t:02d}", trust_upload(t, f"trust-{t:02d}"), NT) for t in others]
    for n in range(20 - len(out)):
        body, name = sheet(f"Synthetic Sheet NHS Trust {n + 1} (not real)")
        out.append(Upload(f"sheet-trust-{n + 1:02d}", body, CSV, name, "2"))
    return out


def load(store_root: Path, build_dir: Path, ups: list[Upload] | None) -> Loaded:
    """The release of `build_dir` in a disk store at `store_root`, with `ups` (None: none) checked
    and committed in one generation."""
    release = read_release(build_dir)["inputsDigest"][:16]
    store = open_release(store_root, build_dir / "otkg.nq", release)
    if not ups:
        return Loaded(store_root, [], [], 0)
    writer = Writer(store, store_root, load_ontology())
    checked: list[Checked] = [writer.check(up) for up in ups]
    first, rest = checked[0], checked[1:]
    # the commit's `record` hook adds triples to other graphs in the same generation
    commit_graph(store_root, first.graph, first.triples, lambda existed: {c.graph: c.triples for c in rest})
    return Loaded(store_root, ups, [c.graph for c in checked], sum(len(c.triples) for c in checked))
