"""Reading SPARQL text without a parser: comments, the query form, and typed VALUES binding.

A remote server has no substitution API, so parameters go in a VALUES block at the head of the
query's WHERE group, where every pattern and FILTER of that group sees them (as pyoxigraph's
substitutions do). The values are RDF terms written by pyoxigraph's own N-Triples serialiser after
the typed checks of kg.query.query_service, never raw text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import pyoxigraph as ox

# Strings, IRIs and comments may hold '#', '{' or keywords: match them first to skip them. Each
# follows the SPARQL 1.1 terminal exactly (escapes in long strings, comments ending at CR or LF,
# IRIs with the \u escapes pyoxigraph reads): one that ran further than the engine's lexer would
# hide code from the checks below, one that stopped short would take a '#' in it for a comment.
_STRING_SRC = (
    r'"""(?:"{0,2}(?:[^"\\]|\\.))*"""|\'\'\'(?:\'{0,2}(?:[^\'\\]|\\.))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
)
_IRI_SRC = r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
_COMMENT_SRC = r"#[^\n\r]*"
_QUOTED_SRC = f"{_STRING_SRC}|{_IRI_SRC}|{_COMMENT_SRC}"
QUOTED = re.compile(_QUOTED_SRC)
_LEXEME = re.compile(_QUOTED_SRC + r"|\bWHERE\s*\{|\b(?:SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


class BindingError(ValueError):
    """A query with no WHERE { to bind values in."""


def strip_comments(text: str) -> str:
    """Drop # comments, leaving strings and IRIs (which may hold '#') alone."""
    return _LEXEME.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), text)


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first form keyword outside strings, IRIs, comments."""
    for m in _LEXEME.finditer(text):
        word = m.group(0).upper()
        if word in FORMS:
            return word
    return None


@lru_cache(maxsize=256)  # named queries are few and fixed: find each one's WHERE once
def _where_end(query: str) -> int | None:
    for m in _LEXEME.finditer(query):
        if m.group(0)[:5].upper() == "WHERE":
            return m.end()
    return None


def with_values(query: str, substitutions: dict[ox.Variable, object]) -> str:
    """The query with `VALUES (?a ?b) { (t1 t2) }` opening its first WHERE group."""
    if not substitutions:
        return query
    end = _where_end(query)
    if end is None:
        raise BindingError("the query has no 'WHERE {' to bind parameters in")
    names = " ".join(str(v) for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    return f"{query[:end]} VALUES ({names}) {{ ({terms}) }}{query[end:]}"


def with_value_rows(query: str, variable: ox.Variable, terms: list) -> str:
    """The query with `VALUES ?v { t1 t2 ... }` opening its first WHERE group: one query for many
    bindings of one variable (e.g. every piece of evidence of a trace at once)."""
    end = _where_end(query)
    if end is None:
        raise BindingError("the query has no 'WHERE {' to bind parameters in")
    return f"{query[:end]} VALUES {variable} {{ {' '.join(str(t) for t in terms)} }}{query[end:]}"


_OPEN, _CLOSE = set("{(["), set("})]")


def nesting_depth(text: str) -> int:
    """Deepest nesting of braces, parentheses and brackets outside strings, IRIs and comments."""
    depth = deepest = 0
    for ch in QUOTED.sub(" ", text):
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in _CLOSE:
            depth -= 1
    return deepest


def names_dataset(text: str) -> bool:
    """True if the query sets its own dataset with FROM or FROM NAMED."""
    if "FROM" not in text.upper():  # most queries: no need to mask strings, IRIs and comments
        return False
    return re.search(r"\bFROM\b", QUOTED.sub(" ", text), re.IGNORECASE) is not None


_STRING, _IRI = re.compile(_STRING_SRC), re.compile(_IRI_SRC)
_WORD = re.compile(r"\w+")
FETCHING = ("SERVICE", "LOAD")


def fetching_keyword(text: str) -> str | None:
    """SERVICE or LOAD if a word of code holds either in any reading of the text, else None. The
    parser takes keywords glued to others (`?c ex:code 1SERVICE <...> {}` runs), so a keyword is
    looked for inside words; not inside what another reading takes for an IRI, where no SERVICE
    clause fits (it needs a `{`)."""
    upper = text.upper()  # the scan upper-cases words too, so a keyword it could find is in here
    if not any(k in upper for k in FETCHING):
        return None
    for m, outside_iri in _code_words(text):
        if outside_iri and not _is_name(text, m):
            word = m.group(0).upper()
            for k in FETCHING:
                if k in word:
                    return k
    return None


def _is_name(text: str, m: re.Match) -> bool:
    """Whether a word is a variable (?x, $x), a prefix (ex:) or a local name (ex:x, _:b): never a keyword."""
    return (m.start() > 0 and text[m.start() - 1] in "?$:") or text.startswith(":", m.end())


# Functions whose value differs from one run to the next. A query calling one can be cheap when its
# cost is measured and dear later (FILTER(NOW() > t) before a cartesian join), so it is never
# learned quick (kg.query.query_pool). The parser takes keywords glued to others (`ORDER BYNOW()`
# runs), so a name is looked for inside words, not only as one.
VOLATILE = ("NOW", "RAND", "UUID", "BNODE")  # STRUUID holds UUID
VOLATILE_SCAN_MAX = 8192  # a longer text holding one of the names is taken as calling it, unscanned


def calls_volatile(text: str) -> bool:
    """True if, in any reading of the text, a word of code holds NOW, RAND, UUID or BNODE; a
    variable (?now), prefix (now:) or local name (ex:known) never calls one, but a word in an IRI
    might, read as code (`1<2&&NOW()>'x'`). Errs towards True: a wrong True only means that a
    worker runs the query every time."""
    upper = text.upper()
    if not any(k in upper for k in VOLATILE):
        return False
    if len(text) > VOLATILE_SCAN_MAX:
        return True
    return any(
        not _is_name(text, m) and any(k in m.group(0).upper() for k in VOLATILE) for m, _ in _code_words(text)
    )


def _code_words(text: str):
    """Each word (regex match) read as code in some reading of the text, with whether it lies outside
    what another reading takes for an IRI.

    Without a parser `<` is ambiguous: pyoxigraph reads `1<2&&'>'` as a comparison, not an IRI, and a
    quote or '#' taken the wrong way hides what follows. So the scan follows both readings wherever
    they part (as a set of reached positions).
    """
    reached = {0: 0}  # position reached as code -> end of the misread IRI it lies in (no keywords there)
    line_ends = [m.start() for m in re.finditer(r"[\n\r]", text)] + [len(text)]  # a comment ends there
    for i, c in enumerate(text):
        quiet = reached.pop(i, None)
        if quiet is None:
            continue
        steps = [(i + 1, quiet)]
        if c in "\"'":
            m = _STRING.match(text, i)
            steps = [(m.end(), quiet)] if m else steps
        elif c == "#":
            steps = [(line_ends[bisect_left(line_ends, i)], quiet)]
        elif c == "<" and (m := _IRI.match(text, i)):
            steps = [(m.end(), quiet), (i + 1, max(quiet, m.end()))]
        elif c == "\\":
            steps = [(i + 2, quiet)]  # an escaped character of a prefixed name: ex:a\#b is no comment
        elif m := _WORD.match(text, i):
            yield m, i >= quiet
            steps = [(m.end(), quiet)]
        for pos, q in steps:
            reached[pos] = min(q, reached.get(pos, q))
