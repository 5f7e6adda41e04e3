"""The cell grammar of a package sheet: what one cell of each column says, as an otkg class and links.

Third step of a sheet import (after kg.pipeline.sheet_layout): `parse_cell` reads a cell; `compose_cell` is
its inverse, used by the export (kg.pipeline.sheet_export) so that an exported sheet imports to the same links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..namespaces import OTKG
from .sheet_vocab import Vocabulary, word

NUM = r"(\d+(?:\.\d+)?)"
INTERVENTION = re.compile(r"(\d+)(?:\.(?:\s+(.*))?)?", re.IGNORECASE | re.DOTALL)
LEVEL = re.compile(r"(?:level\s*)?(\d+)(?:\s*-\s*(\d+))?", re.IGNORECASE)
DURATION = re.compile(
    rf"(?:{NUM}\s*-\s*{NUM}\s*months?(?:\s*,\s*average\s+{NUM}(?:\s*months?)?)?"
    rf"|average\s+{NUM}\s*months?)",
    re.IGNORECASE,
)
HOURS = re.compile(
    rf"(?:{NUM}\s*-\s*{NUM}(?:\s*hours?)?(?:\s*,\s*average\s+{NUM}(?:\s*hours?)?)?"
    rf"|average\s+{NUM}(?:\s*hours?)?)",
    re.IGNORECASE,
)
RANGES = {
    "duration": (
        DURATION,
        "DurationMonths",
        "'duration: 2-9 months, average 4' or 'duration: average 4 months'",
    ),
    "hours": (HOURS, "ContactHours", "'hours: 10-30, average 24' or 'hours: average 24'"),
}


class GrammarError(ValueError):
    """A cell that does not follow its column's grammar; the message says what is expected."""


@dataclass(frozen=True)
class Parsed:
    cls: URIRef
    links: tuple[tuple[URIRef, URIRef | Literal], ...]


# What a separator other than a colon looks like: 'if need identified - environment', 'major, motivation'.
OTHER_SEPARATOR = re.compile(r"\s*[-\u2013\u2014,;.=>]+\s*|\s+")


def _one_of(vocab: Vocabulary, kind: str, *extra: str) -> str:
    return ", ".join([*extra, *vocab.allowed(kind)])


def _split(
    text: str, form: str, lists: Callable[[], str], suggestion: Callable[[], str | None]
) -> tuple[str, str]:
    """The words before and after the colon; else a GrammarError saying the form, the allowed words
    (`lists`) and, where the cell only lacks the colon, what to write instead (both made only then)."""
    head, sep, rest = text.partition(":")
    if not sep:
        fix = suggestion()
        raise GrammarError(f"expected '{form}' with a colon{f'; write {fix!r}' if fix else ''}; {lists()}")
    return head.strip(), rest.strip()


def _named(vocab: Vocabulary, kind: str, text: str, label: str, *extra: str) -> URIRef:
    iri = vocab.lookup(kind, text)
    if iri is None:
        raise GrammarError(f"unknown {label} '{text}': use one of {_one_of(vocab, kind, *extra)}")
    return iri


def _colon_for(vocab: Vocabulary, text: str, kind: str, tail: str | None) -> str | None:
    """'if need identified: environment' for 'if need identified - environment': a known word of list
    `kind`, another separator, then a known word of list `tail` (or any text when `tail` is None)."""
    flat = " ".join(text.split())
    for head in sorted(vocab.words.get(kind, {}), key=len, reverse=True):
        if not word(flat).startswith(head):
            continue
        sep = OTHER_SEPARATOR.match(flat, len(head))
        rest = flat[sep.end() :] if sep else ""
        if sep and rest and (tail is None or vocab.lookup(tail, rest) is not None):
            return f"{flat[: len(head)]}: {rest}"
    return None


def _rated(vocab: Vocabulary, text: str, kind: str, label: str, cls: str, prop: URIRef) -> Parsed:
    head, area = _split(
        text,
        f"<{label}>: <challenge area>",
        lambda: (
            f"{label} is one of {_one_of(vocab, kind)}; challenge area is one of {_one_of(vocab, 'area')}"
        ),
        lambda: _colon_for(vocab, text, kind, "area"),
    )
    rating = _named(vocab, kind, head, label)
    return Parsed(
        OTKG[cls], ((OTKG.concernsChallenge, _named(vocab, "area", area, "challenge area")), (prop, rating))
    )


def _outcome(vocab: Vocabulary, text: str) -> Parsed:
    head, rest = _split(
        text,
        "<challenge area or overall>: <specific improvements>",
        lambda: f"challenge area is one of {_one_of(vocab, 'area', 'overall')}",
        lambda: _colon_for(vocab, text, "area", None),
    )
    if not rest:
        raise GrammarError("say the specific improvements after the colon")
    if word(head) == "overall" and vocab.overall is not None:
        return Parsed(OTKG.OutcomeEntry, ((OTKG.specifies, vocab.overall),))
    outcome = vocab.outcomes.get(_named(vocab, "area", head, "challenge area", "overall"))
    if outcome is None:
        raise GrammarError(f"no outcome in the graph concerns '{head}'")
    return Parsed(OTKG.OutcomeEntry, ((OTKG.specifies, outcome),))


def _intervention(vocab: Vocabulary, text: str) -> Parsed:
    head, sep, rest = text.partition(":")
    if sep and word(head) == "measure":
        return Parsed(
            OTKG.MeasureEntry, ((OTKG.measuredBy, _named(vocab, "tool", rest.strip(), "MOHO tool")),)
        )
    known = vocab.numbers.get("intervention", {})
    span = f"{min(known, default=1)} to {max(known, default=24)}"
    m = INTERVENTION.fullmatch(text)
    if not m:
        raise GrammarError(
            f"expected an intervention number {span} ('7' or '7. <name>') or 'measure: <MOHO tool>' "
            f"with MOHO tool one of {_one_of(vocab, 'tool')}"
        )
    n, name = int(m.group(1)), m.group(2)
    iri = known.get(n)
    if iri is None:
        raise GrammarError(f"unknown intervention number {n}: use {span}")
    other = _named_number(vocab, "intervention", name)
    if other is not None and other != n:
        raise GrammarError(
            f"intervention {n} is '{vocab.numbered_name('intervention', n)}' but "
            f"'{' '.join(name.split())}' is intervention {other}: write one of them"
        )
    return Parsed(OTKG.InterventionEntry, ((OTKG.specifies, iri),))


def _named_number(vocab: Vocabulary, kind: str, name: str | None) -> int | None:
    """The number whose label is `name` (compared as words), if any."""
    if not name:
        return None
    return next((n for n, label in vocab.names.get(kind, {}).items() if word(label) == word(name)), None)


def _added_value(vocab: Vocabulary, text: str) -> Parsed:
    head, rest = _split(
        text,
        "<beneficiary>: <text>",
        lambda: f"beneficiary is one of {_one_of(vocab, 'beneficiary')}",
        lambda: _colon_for(vocab, text, "beneficiary", None),
    )
    if not rest:
        raise GrammarError("say the added value after the colon")
    return Parsed(OTKG.AddedValueEntry, ((OTKG.valueTo, _named(vocab, "beneficiary", head, "beneficiary")),))


def _skill_level(vocab: Vocabulary, text: str) -> Parsed:
    m = LEVEL.fullmatch(text)
    if not m:
        raise GrammarError("expected a Skills for Health level or range such as 'level 5-6' or 'level 5'")
    low, high = int(m.group(1)), int(m.group(2) or m.group(1))
    if low > high:
        raise GrammarError(f"level {low} is above level {high}: write the lower level first")
    levels = vocab.numbers.get("level", {})
    for n in (low, high):
        if n not in levels:
            raise GrammarError(f"there is no Skills for Health level {n}: use {min(levels)} to {max(levels)}")
    return Parsed(
        OTKG.SkillLevelEntry, ((OTKG.minSkillLevel, levels[low]), (OTKG.maxSkillLevel, levels[high]))
    )


def _range(kind: str, text: str) -> tuple:
    pattern, suffix, example = RANGES[kind]
    m = pattern.fullmatch(text)
    if not m:
        raise GrammarError(f"expected {example} (numbers, not negative)")
    low, high, avg, only_avg = (None if g is None else Decimal(g) for g in m.groups())
    avg = avg if only_avg is None else only_avg
    if low is not None and high is not None and low > high:
        raise GrammarError(f"the minimum {low} is more than the maximum {high}")
    if (high is not None and high <= 0) or (avg is not None and avg <= 0):
        raise GrammarError("the maximum and the average must be more than 0")
    if avg is not None and low is not None and high is not None and not low <= avg <= high:
        raise GrammarError(f"the average {avg} is outside {low}-{high}")
    pairs = (("min", low), ("max", high), ("average", avg))
    return tuple((OTKG[p + suffix], Literal(str(v), datatype=XSD.decimal)) for p, v in pairs if v is not None)


def _contact(text: str) -> Parsed:
    head, rest = _split(
        text, "<kind>: <text or range>", lambda: "kind is one of pattern, duration, hours", lambda: None
    )
    kind = word(head)
    if kind == "pattern" and rest:
        return Parsed(OTKG.ContactEntry, ((OTKG.contactPattern, Literal(" ".join(rest.split()))),))
    if kind in RANGES:
        return Parsed(OTKG.ContactEntry, _range(kind, rest))
    raise GrammarError(
        f"unknown contact kind '{head}': expected 'pattern: <text>', 'duration: <a>-<b> months[, average <c>]' "
        "or 'hours: <a>-<b>[, average <c>]'"
        if kind not in ("pattern", *RANGES)
        else "say the pattern after the colon"
    )


def parse_cell(key: str, text: str, vocab: Vocabulary) -> Parsed:
    """The class and links one cell of column `key` states; GrammarError if it breaks the grammar."""
    text = text.strip()
    if key == "assessment":
        return _rated(vocab, text, "priority", "priority", "AssessmentFocus", OTKG.assessmentPriority)
    if key == "challenges":
        return _rated(vocab, text, "severity", "severity", "ChallengeRating", OTKG.severity)
    if key == "outcome":
        return _outcome(vocab, text)
    if key == "intervention":
        return _intervention(vocab, text)
    if key == "added-value":
        return _added_value(vocab, text)
    if key == "skill-level":
        return _skill_level(vocab, text)
    if key == "contact":
        return _contact(text)
    return Parsed(OTKG.ResourceEntry, ())


# -- the inverse, for exports ---------------------------------------------------------------------
def _number_of(vocab: Vocabulary, kind: str, iri) -> int:
    return next(n for n, i in vocab.numbers.get(kind, {}).items() if i == iri)


def _span(kind: str, values: dict) -> str:
    """'2-9 months, average 4' / 'average 4 months' from the min/max/average literals of one kind."""
    _, suffix, _ = RANGES[kind]
    low, high, avg = (values.get(OTKG[p + suffix]) for p in ("min", "max", "average"))
    unit = " months" if kind == "duration" else ""
    if low is None or high is None:
        return f"{kind}: average {avg}{unit}"
    return f"{kind}: {low}-{high}{unit}" + (f", average {avg}" if avg is not None else "")


def _compose(key: str, parsed: Parsed, text: str, vocab: Vocabulary) -> str:
    links = dict(parsed.links)
    iris = {p: o for p, o in parsed.links if isinstance(o, URIRef)}  # what the vocabulary names
    shown = vocab.shown.get
    if key == "assessment":
        return f"{shown(iris[OTKG.assessmentPriority])}: {shown(iris[OTKG.concernsChallenge])}"
    if key == "challenges":
        return f"{shown(iris[OTKG.severity])}: {shown(iris[OTKG.concernsChallenge])}"
    if key == "outcome":
        outcome = iris[OTKG.specifies]
        area = next((a for a, o in vocab.outcomes.items() if o == outcome), None)
        return f"{'overall' if area is None else shown(area)}: {text}"
    if key == "intervention" and parsed.cls == OTKG.MeasureEntry:
        return f"measure: {shown(iris[OTKG.measuredBy])}"
    if key == "intervention":
        n = _number_of(vocab, "intervention", iris[OTKG.specifies])
        return f"{n}. {text}" if text else str(n)
    if key == "added-value":
        return f"{shown(iris[OTKG.valueTo])}: {text}"
    if key == "skill-level":
        low, high = (_number_of(vocab, "level", iris[p]) for p in (OTKG.minSkillLevel, OTKG.maxSkillLevel))
        return f"level {low}" if low == high else f"level {low}-{high}"
    if key == "contact" and OTKG.contactPattern in links:
        return f"pattern: {links[OTKG.contactPattern]}"
    if key == "contact":
        values = {p: Decimal(str(v)) for p, v in parsed.links}
        return _span("duration" if any("Duration" in str(p) for p in values) else "hours", values)
    return text


def compose_cell(key: str, parsed: Parsed, text: str | None, vocab: Vocabulary) -> str:
    """The cell that states `parsed`: the element's own text when it already parses to the same
    links (so a Trust's wording survives a round trip), else words made from the links."""
    if text:
        try:
            again = parse_cell(key, text, vocab)
            if again.cls == parsed.cls and set(again.links) == set(parsed.links):
                return text
        except GrammarError:
            pass
    return _compose(key, parsed, text or "", vocab)
