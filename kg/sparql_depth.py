"""How deep pyoxigraph's parser would recurse on a SPARQL text, measured without parsing it (issue 22).

pyoxigraph parses a query, and turns it into algebra, by recursion on the machine stack, with no
limit of its own: past some depth the process dies of a stack overflow. Nesting in brackets is one
way there, but not the only one: with the 8 MB stack of a query worker's main thread, 0.5.13 died
on about 9,300 `!` in a row, 6,900 terms joined by `+`, 9,300 by `||`, 6,600 groups joined by UNION
or OPTIONAL, 2,600 MINUS or BIND in a group, 2,600 expressions in SELECT or ORDER BY, 2,600 terms
after DESCRIBE, 11,000 alternatives in a property path, 4,000-6,000 items in a collection and
8,000-10,000 triple patterns in a group: each builds a tree as deep as the row is long.

So a text is read as frames (the query, and each `{ }`, `( )` or `[ ]`), each holding items: its
operators, its bracketed groups and its terms. It is as many *levels* deep as the most items along
any path of frames, as if every operator wrapped everything else in its frame: an upper bound on
the tree's depth. Lists that pyoxigraph keeps flat are not counted: terms apart in parentheses
(`IN (1, 2)`, arguments) and VALUES data. Within 128 brackets and 1,000 levels the costliest text
found used under half the worker's stack (126 nested calls at ~10 kB of stack each, then MINUS at
~3.2 kB each), and twice as many levels still ran.

Strings, IRIs and comments are skipped as sparql_text.QUOTED reads them (TEXT_SRC), but `<` is
ambiguous: in `FILTER(1<((((1>0)` pyoxigraph reads a comparison where QUOTED sees an IRI, and the
`((((` would pass unseen. So wherever `<` could be a comparison (after an operand, in parentheses)
the text up to `>` counts as that comparison's operand too, and where that reading could go on past
`>` differently (a quote, '#' or bracket in it), the rest of the text is measured in it as well.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

MAX_BRACKETS = 128
MAX_LEVELS = 1000
MAX_READINGS = 16  # more places where '<' could be read two ways: too unclear to measure
MAX_TOKENS = 20_000  # the scan's cost stays under ~30 ms; legitimate texts stop far sooner

# Strings, IRIs and comments as sparql_text.QUOTED matches them (the SPARQL terminals), except that a
# short string left open runs to where it stops instead of not matching: QUOTED then tries again at
# each quote inside it, in time growing with the square of its length (32 kB of '\'\'\'... took
# 4.4 s). pyoxigraph stops at a short string left open, so nothing after it nests in its reading.
# A long string left open stays unmatched, as for pyoxigraph: `'''a'` is '' and then 'a'.
TEXT_SRC = (
    r'"""(?:"{0,2}(?:[^"\\]|\\.))*+"""|\'\'\'(?:\'{0,2}(?:[^\'\\]|\\.))*+\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*+"?|\'(?:[^\'\\\n\r]|\\.)*+\'?'
    r'|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>'
    r"|#[^\n\r]*"
)
_NAME = r"(?:[^\W\d]\w*)?:(?:[\w.:-]|%[0-9A-Fa-f]{2}|\\[^\n\r])*"  # prefixed name, blank node label
_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"  # its exponent's sign is no operator
_TOKEN = re.compile(  # matched where the last ended: spaces are skipped inside the match, not tried
    r"\s*(?:(?P<comments>#[^\n\r]*(?:\s*#[^\n\r]*)*)"
    rf"|(?P<quoted>{TEXT_SRC})"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])"
    r"|(?P<datatype>\^\^)"
    r"|(?P<ops>(?:\|\||&&|[!=>+*/|^-])+|<)"  # a run at once: `!!!!` is one match
    rf"|(?P<operand>[?$]\w*|{_NAME}|[^\W\d]\w*|{_NUMBER}|\\[^\n\r])"  # ex:a\#b holds no comment
    r"|(?P<punct>[.,;](?:\s*[.,;])*)"
    r"|(?P<lang>@[^\W\d][\w-]*)"  # a language tag: part of the literal before it
    r"|(?P<other>\S))"  # no part of any token: a syntax error where it stands
)
# Skipped whole, as pyoxigraph keeps them flat: VALUES data up to its '}' (anything else there is a
# syntax error before any depth), and a list's items each followed by ',', ';' or '.' in parentheses.
_DATA = re.compile(rf"(?:{TEXT_SRC}|[^{{}}\"'<#])*+")
_LIST = re.compile(rf"(?:\s*(?:{TEXT_SRC}|[?$]\w*|{_NAME}|[^\W\d]\w*|[+-]?{_NUMBER})\s*[,;.])*")
_WORDY = dict.fromkeys(map(ord, string.ascii_letters + "_" + string.whitespace))  # deleted by translate
_GLUED = re.compile(r"true|false|\d+", re.IGNORECASE)
_OPERAND_CHARS = "!=+*/-&(["  # in an IRI read as a comparison's operand: each may add a level
_REREAD = "()'#"  # ... and after any of these, that reading may go on past '>' differently


@dataclass(frozen=True)
class Nesting:
    """A text's depth; once past a limit the scan stops, so the numbers are then lower bounds."""

    brackets: int  # deepest nesting of { ( [
    levels: int  # deepest chain of items (module docstring)
    unclear: str | None = None  # why the text could not be measured (then refuse it)


def could_exceed(text: str) -> bool:
    """False when no reading of the text can nest past either limit, as it holds too few openers
    and places an item could start at: cheap counts, so that most queries are never scanned."""
    if text.count("{") + text.count("(") + text.count("[") > MAX_BRACKETS:
        return True
    return len(text) > MAX_LEVELS and item_bound(text) > MAX_LEVELS


def item_bound(text: str) -> int:
    """At least the levels of any reading: each item starts a run of non-spaces, or is or follows
    a character that is no ASCII letter, '_' or space (an operator or bracket followed by a term
    is two), or is a true or false run into the word before it (`truetrue`)."""
    upper = text.upper()
    others = len(text.translate(_WORDY))
    return len(text.split()) + 2 * others + upper.count("TRUE") + upper.count("FALSE")


def nesting(text: str) -> Nesting:
    """The text's depth in brackets and in levels: the deepest of every reading of its '<'."""
    found = _Found()
    try:
        _read(text, 0, _State([["q", 0, 0]]), found)
    except _Stop:
        pass
    return Nesting(found.brackets, found.levels, found.unclear)


class _Stop(Exception):
    """Past a limit, or unclear: the answer is known."""


@dataclass
class _Found:
    brackets: int = 0
    levels: int = 0
    readings_left: int = MAX_READINGS
    tokens_left: int = MAX_TOKENS
    unclear: str | None = None


@dataclass
class _State:
    # Frames as [kind, items, deepest child]: kind is the bracket, "q" for the query itself, "v" for
    # VALUES data and "r" for one of its rows (neither counts items).
    stack: list[list] = field(default_factory=list)
    path: int = 0  # the items of every frame on the stack
    parens: int = 0  # '(' frames open: a comparison can only stand inside one
    operand: bool = False  # the last token ended an operand
    datatype: bool = False  # after '^^': the datatype IRI is part of the literal
    values_at: int = 0  # the stack height at which VALUES was just read (0: none)

    def copy(self) -> _State:
        stack = [frame.copy() for frame in self.stack]
        return _State(stack, self.path, self.parens, self.operand, self.datatype, self.values_at)

    def add(self, items: int, found: _Found) -> None:
        top = self.stack[-1]
        top[1] += items
        self.path += items
        if self.path + top[2] > MAX_LEVELS:  # the final depth is at least this
            found.levels = self.path + top[2]
            raise _Stop

    def close(self, found: _Found) -> None:
        frame = self.stack.pop()
        parent = self.stack[-1]
        self.path -= frame[1]
        self.parens -= frame[0] in "(r"
        parent[2] = max(parent[2], frame[1] + frame[2])
        if self.values_at > len(self.stack):
            self.values_at = 0
        self.add(0 if parent[0] in "vr" else 1, found)


def _read(text: str, pos: int, st: _State, found: _Found) -> None:
    stack = st.stack
    while m := _TOKEN.match(text, pos):
        pos, kind, top = m.end(), m.lastgroup, stack[-1]
        found.tokens_left -= 1
        if not found.tokens_left:
            found.unclear = f"it has over {MAX_TOKENS} parts outside VALUES data and lists"
            raise _Stop
        if kind == "comments" or kind == "other":
            continue
        if kind == "operand" or kind == "quoted":
            token = m.group(kind)
            if token[0] == "<" and st.operand and st.parens and top[0] not in "vr":
                _as_comparison(text, m, st, found)
            elif len(token) == 6 and token.upper() == "VALUES":
                st.values_at = len(stack)
            terms = 1
            if token[0].isalpha() or token[0] in "_:":  # a word, or a prefixed name: `true:x` is two
                head, colon, _ = token.partition(":")  # terms where no prefix true: is declared
                glued = _glued(head)
                terms = glued + 1 if colon else max(glued, 1)
            # flat: VALUES data, a literal's datatype, and terms apart in parentheses (`IN (1, 2)`)
            if top[0] in "vr" or st.datatype:
                terms = 0
            elif top[0] == "(" and not st.operand:
                terms -= 1
            if terms:
                st.add(terms, found)
            st.operand, st.datatype = True, False
        elif kind == "ops":
            run = m.group(kind)
            if top[0] not in "vr":
                st.add(len(run) - run.count("||") - run.count("&&"), found)
            st.operand = False
        elif kind == "open":
            bracket = m.group(kind)
            if bracket == "{" and st.values_at == len(stack):
                bracket, st.values_at = "v", 0
            elif bracket == "(" and top[0] == "v":
                bracket = "r"
            stack.append([bracket, 0, 0])
            st.parens += bracket in "(r"
            st.operand = False
            depth = len(stack) - 1
            if bracket == "v":  # a row's '(' inside is one level more; deeper is a syntax error
                end = _skip(_DATA, text, pos)
                pos, depth = end, depth + ("(" in text[pos:end])
            found.brackets = max(found.brackets, depth)
            if depth > MAX_BRACKETS:
                raise _Stop
        elif kind == "close":
            if len(stack) > 1:  # an unmatched closer is a syntax error where it stands
                st.close(found)
            st.operand = True
        elif kind == "punct":
            st.operand = st.datatype = False
            if top[0] == "(":
                pos = _skip(_LIST, text, pos)
        else:  # '^^' or a language tag, which ends its literal
            st.datatype = kind == "datatype"
            st.operand = kind == "lang"
    while len(stack) > 1:
        st.close(found)
    found.levels = max(found.levels, stack[0][1] + stack[0][2])


def _glued(word: str) -> int:
    """How many terms the word starts with, run together: pyoxigraph reads `truetrue1` in a
    collection as three (and a word it cannot read so is a syntax error)."""
    count = pos = 0
    while m := _GLUED.match(word, pos):
        count, pos = count + 1, m.end()
    return count


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a pattern that also matches nothing ends from pos."""
    m = pattern.match(text, pos)
    assert m is not None  # it matches the empty string at least
    return m.end()


def _as_comparison(text: str, m: re.Match, st: _State, found: _Found) -> None:
    """The IRI `m` read as `<` then an operand, as pyoxigraph reads it after an operand in an
    expression: count that operand's levels, and measure the rest of the text in that reading too
    if it could go on differently there."""
    head = m.group("quoted")[1:-1].split("//", 1)[
        0
    ]  # that reading stops at '//': '/' cannot start an operand
    depth = st.path + st.stack[-1][2] + 1 + sum(map(head.count, _OPERAND_CHARS))
    found.levels = max(found.levels, depth)
    if depth > MAX_LEVELS:
        raise _Stop
    if not any(c in head for c in _REREAD):
        return  # it ends at '>' at the latest: `a < b > c` is no expression, and no '(' is left open
    if not found.readings_left:
        found.unclear = f"'<' could be read as an IRI or a comparison in over {MAX_READINGS} places"
        raise _Stop
    found.readings_left -= 1
    other = st.copy()
    other.add(1, found)  # the '<'
    other.operand = False
    _read(text, m.start("quoted") + 1, other, found)
