"""CHANGELOG.md (Keep a Changelog 1.1.0) read by the release: a version's date, which the VoID
states as dcterms:issued, and its section, which a release folder carries as its notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..paths import ROOT

CHANGELOG = ROOT / "CHANGELOG.md"  # a checkout's; an installed wheel has it only if packaged
# "## [0.1.0] - 2026-12-08" or "## [Unreleased]": the heading of one version's section
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?:\s+-\s+(?P<date>\d{4}-\d{2}-\d{2}))?\s*$", re.M)


@dataclass(frozen=True)
class Section:
    version: str
    date: str | None  # ISO date; None for Unreleased
    body: str  # the section's markdown below its heading, stripped


def sections(text: str) -> list[Section]:
    """Every version's section, newest (first in the file) first."""
    heads = list(HEADING.finditer(text))
    found = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else _links_start(text, m.end())
        found.append(Section(m["version"], m["date"], text[m.end() : end].strip()))
    return found


def _links_start(text: str, start: int) -> int:
    """Where the link references at the foot of the file begin ("[0.1.0]: https://..."), if any."""
    m = re.compile(r"^\[[^\]]+\]:\s", re.M).search(text, start)
    return m.start() if m else len(text)


def section(version: str, path: Path | None = None) -> Section | None:
    """The section of `version` (in CHANGELOG.md unless `path` is given), or None when the file or
    the section is missing."""
    path = path or CHANGELOG
    if not path.is_file():
        return None
    return next((s for s in sections(path.read_text(encoding="utf-8")) if s.version == version), None)


def newest_release(path: Path | None = None) -> Section | None:
    """The newest dated section (Unreleased is not a release)."""
    path = path or CHANGELOG
    if not path.is_file():
        return None
    return next((s for s in sections(path.read_text(encoding="utf-8")) if s.date), None)
