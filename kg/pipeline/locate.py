"""Find a curated quote in its document and return exact offsets, or fail loudly."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 32  # characters of oa:prefix / oa:suffix


class QuoteError(ValueError):
    """A quote that is not in its document exactly once."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _pattern(quote: str) -> re.Pattern:
    # Any run of white space in the quote matches any run in the document: the copies break
    # lines mid-sentence, and curators should not have to reproduce those breaks.
    words = quote.split()
    if not words:
        raise QuoteError("empty quote")
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find(text: str, quote: str, within: str | None = None) -> Span:
    """Locate `quote` (inside the unique passage `within`, if given) exactly once in `text`."""
    lo, hi = 0, len(text)
    if within is not None:
        outer = find(text, within)
        lo, hi = outer.start, outer.end
    hits = [m for m in _pattern(quote).finditer(text, lo, hi)]
    if not hits:
        where = " inside the 'within' passage" if within else ""
        raise QuoteError(f"quote not found{where}: {quote[:80]!r}")
    if len(hits) > 1:
        offsets = ", ".join(str(m.start()) for m in hits[:5])
        raise QuoteError(f"quote found {len(hits)} times (at {offsets}); add 'within': {quote[:80]!r}")
    m = hits[0]
    return Span(
        m.start(),
        m.end(),
        m.group(0),
        text[max(0, m.start() - CONTEXT) : m.start()],
        text[m.end() : m.end() + CONTEXT],
    )


_NOISE = re.compile("[\ue000-\uf8ff]")  # private-use bullets of the copies (Wingdings)


def normalise(exact: str) -> str:
    """The literal form of a quoted passage: extraction bullets dropped, white space collapsed."""
    return " ".join(_NOISE.sub(" ", exact).split())
