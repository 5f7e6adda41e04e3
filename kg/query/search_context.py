"""The passage of a source document around each quote, so that search finds words said next to it.

A quote is often a fragment ("their employing Trusts who supported their contribution"); the words
that name what it is about may stand just before it ("The working groups who shared ..."). Each
quote's passage is indexed, at the lowest weight, for the entity the quoting claim is about.
"""

from __future__ import annotations

from ..seeds import SEEDS_DIR

REACH = 240  # characters either side of a quote, at most; a blank line ends a passage sooner


def seed_texts() -> dict[str, str]:
    """The seeds as the quotes' offsets count them: decoded without newline translation."""
    return {p.name: p.read_bytes().decode("utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}


def passage(text: str, start: int, end: int, reach: int = REACH) -> str:
    """The text around [start, end) up to a blank line or `reach` characters, cut at whole words."""
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    blank = text.rfind("\n\n", lo, start)
    if blank >= 0:
        lo = blank + 2
    elif lo > 0:  # cut inside a word: start after it
        lo = next((i + 1 for i in range(lo, start) if text[i].isspace()), start)
    blank = text.find("\n\n", end, hi)
    if blank >= 0:
        hi = blank
    elif hi < len(text):
        hi = next((i for i in range(hi, end, -1) if text[i].isspace()), end)
    return " ".join(text[lo:hi].split())


def rows(quotes, documents: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(entity, "context", passage) for each (entity, file, start, exact) whose file is at hand."""
    documents = seed_texts() if documents is None else documents
    out = set()
    for entity, file, start, exact in quotes:
        text = documents.get(file)
        if text is None or text[start : start + len(exact)] != exact:  # offsets into another text: skip
            continue
        out.add((entity, "context", passage(text, start, start + len(exact))))
    return sorted(out)
