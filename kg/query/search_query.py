"""A search box's text, parsed into SQLite FTS5 MATCH expressions that user input cannot break.

Only runs of letters and digits are kept from what the user typed, and each one reaches FTS5 as a
double-quoted string: FTS5 reads a quoted string as text, never as an operator, so `NEAR(`, `OR`,
`col:`, `^`, a stray `"` or `*` are searched for as words or dropped, and never change the query.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

# unicode61 splits text on everything but letters and digits; "_" is a separator to it, so here too
WORD = re.compile(r"[^\W_]+")
TERM = re.compile(r"([^\W_]+)(\*?)")  # a word, and a `*` typed right after it asks for a prefix search
QUOTED = re.compile(r'"([^"]*)"')
MAX_EXPANSIONS = 64  # a one-letter prefix would name hundreds of words; FTS5's own prefix match still runs


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def quoted(text: str) -> str:
    """An FTS5 string literal: inside double quotes a doubled quote is the only escape FTS5 knows."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Parsed:
    phrases: tuple[tuple[str, ...], ...]  # "in quotes": the words must stand together, in this order
    terms: tuple[tuple[str, bool], ...]  # the other words, each with whether it ends in `*` (a prefix)
    normal: str  # every word in order, lowercase: compared with labels for an exact match

    def __bool__(self) -> bool:
        return bool(self.phrases or self.terms)


def parse(text: str) -> Parsed:
    """Quoted parts become phrases; an unmatched `"` is ignored; the rest are words or `word*` prefixes."""
    phrases = tuple(p for p in (tuple(words(m)) for m in QUOTED.findall(text)) if p)
    rest = QUOTED.sub(" ", text).casefold()
    terms = tuple(dict.fromkeys((w, star == "*") for w, star in TERM.findall(rest)))
    return Parsed(phrases, terms, " ".join(words(text)))


class Vocabulary:
    """Every indexed word as written, so that a prefix finds words whose stem it is not a prefix of.

    FTS5 stems a prefix before matching it: with the porter stemmer `occupat*` looks for stems
    beginning "occupat", but "occupational" is stored as the stem "occup". Listing the written words
    that begin with the prefix, and searching for them as well, finds them.
    """

    def __init__(self, texts):
        self.sorted = sorted({w for t in texts for w in words(t)})

    def starting(self, prefix: str) -> list[str]:
        i = bisect_left(self.sorted, prefix)
        out: list[str] = []
        while i < len(self.sorted) and self.sorted[i].startswith(prefix) and len(out) < MAX_EXPANSIONS:
            out.append(self.sorted[i])
            i += 1
        return out


def _term(word: str, prefix: bool, vocabulary: Vocabulary | None) -> str:
    if not prefix:
        return quoted(word)  # stemmed by FTS5 like the text: "fall" also finds "falls"
    if vocabulary is None:
        raise ValueError(f"the prefix word {word!r} needs the vocabulary to expand it")
    options = [quoted(word) + " *", *(quoted(w) for w in vocabulary.starting(word))]
    return "(" + " OR ".join(options) + ")"


def match_all(parsed: Parsed, vocabulary: Vocabulary | None) -> str:
    """Every phrase and every word must occur (AND), in any of the entity's texts; `vocabulary` is
    needed only when a word is a prefix."""
    parts = [quoted(" ".join(p)) for p in parsed.phrases]
    parts += [_term(w, prefix, vocabulary) for w, prefix in parsed.terms]
    return " AND ".join(parts)


def match_phrase(parsed: Parsed) -> str | None:
    """The unquoted words as one phrase, to rank entities holding them side by side first."""
    plain = [w for w, _ in parsed.terms]
    return quoted(" ".join(plain)) if len(plain) > 1 else None
