"""The depth check before the engine (kg.sparql_depth, issue 22): every way found to overflow
pyoxigraph's parser is refused, no reading of '<' hides one, flat lists pass, and a query at the
limits runs in pyoxigraph without crashing it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from otkg.api.errors import Problem
from otkg.api.service import check_query_text
from otkg.kg.sparql_depth import MAX_BRACKETS, MAX_LEVELS, TEXT_SRC, could_exceed, item_bound, nesting
from otkg.kg.sparql_text import QUOTED

P = "<http://x/p>"
LIMIT = 65536

# Each construct at the size that crashed pyoxigraph 0.5.13 in a worker-like process (8 MB stack),
# or at the most that fits in 64 KB where that is less.
DEEP = {
    "not": "ASK { FILTER(" + "!" * 9344 + "true) }",
    "parentheses": "ASK { FILTER(" + "(" * 4672 + "true" + ")" * 4672 + ") }",
    "braces": "ASK " + "{" * 2208 + "}" * 2208,
    "plus-chain": "ASK { FILTER(" + "+".join(["1"] * 6912) + ") }",
    "or-chain": "ASK { FILTER(" + "||".join(["true"] * 9344) + ") }",
    "union": "ASK { " + " UNION ".join(["{}"] * 6656) + " }",
    "optional": "ASK { " + "OPTIONAL{}" * 6500 + " }",
    "minus": "ASK { " + "MINUS{}" * 2624 + " }",
    "bind": "ASK { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(2624)) + " }",
    "filters": "ASK { " + "FILTER(1)" * 7000 + " }",
    "having": "SELECT (COUNT(*) AS ?c) {} GROUP BY ?x HAVING" + "(true)" * 9344,
    "select-expressions": "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(2624)) + " {}",
    "order-by-calls": "SELECT * {} ORDER BY " + "STR(?x)" * 2624,
    "describe": "PREFIX : <http://x/> DESCRIBE" + " :p" * 2624,
    "subqueries": "ASK { " + "{SELECT * {}}" * 2624 + " }",
    "alternative-path": "PREFIX : <http://x/> ASK { ?s " + "|".join([":p"] * 11008) + " ?o }",
    "inverse-path": "ASK { ?s " + "^(" * 13824 + P + ")" * 13824 + " ?o }",
    "function-calls": "ASK { FILTER(" + "STR(" * 960 + "1" + ")" * 960 + ") }",
    "aggregates": "SELECT (" + "SUM(" * 832 + "1" + ")" * 832 + " AS ?x) {}",
    "exists": "ASK { FILTER(" + "EXISTS { FILTER(" * 720 + "true" + ") }" * 720 + ") }",
    "in-nested": "ASK { FILTER(" + "1 IN (" * 6912 + "1" + ")" * 6912 + ") }",
    "collection-nested": f"ASK {{ ?s {P} " + "( " * 9984 + "1" + " )" * 9984 + " }",
    "collection-flat": f"ASK {{ ?s {P} (" + " 1" * 10000 + " ) }",
    "collection-glued": f"ASK {{ ?s {P} (" + "true" * 8000 + ") }",
    "object-list": f"ASK {{ ?s {P} " + ",".join(["1"] * 10000) + " }",
    "blank-nodes": f"ASK {{ ?s {P} " + f"[ {P} " * 3456 + "1" + " ]" * 3456 + " }",
    "reified-triples": "ASK { " + "<<" * 5000 + "?s ?p ?o>>" + "?p ?o>>" * 4999 + "?p ?o }",
    # '<' that QUOTED reads as an IRI, pyoxigraph as a comparison: the text in it is code
    "comparison-hiding-parentheses": "ASK { FILTER(1<" + "(" * 5000 + "1>0) }",
    "comparison-hiding-nots": "ASK { FILTER(1<" + "!" * 30000 + "1>0) }",
    "comparison-then-string": "ASK { FILTER(1<2&&'>' && " + "!" * 30000 + "true) }",
    "comparison-then-comment": "ASK { FILTER(1<2#>'''\n" + "!" * 30000 + "true) } #'''",
    # an escaped '#' or quote in a prefixed name starts no comment or string
    "escaped-hash": "PREFIX ex: <http://x/> ASK { FILTER(ex:a\\# && " + "!" * 30000 + "true) }",
    "escaped-quote": "PREFIX ex: <http://x/> ASK { FILTER(ex:a\\' && " + "!" * 30000 + "true) } #'",
}


@pytest.mark.parametrize("name", DEEP)
def test_every_deep_construct_is_refused(name):
    query = DEEP[name]
    assert len(query) <= LIMIT and could_exceed(query)
    with pytest.raises(Problem) as caught:
        check_query_text(query, LIMIT)
    problem = caught.value
    assert problem.status == 400
    assert f"at most {MAX_BRACKETS} are allowed" in problem.detail or (
        f"more than {MAX_LEVELS} levels deep" in problem.detail
    )


def test_the_messages_say_what_was_too_deep():
    with pytest.raises(Problem, match=r"nests 129 levels deep or more in brackets \(\{, \( or \[\)"):
        check_query_text(DEEP["braces"], LIMIT)
    with pytest.raises(Problem, match=r"more than 1000 levels deep: within its brackets, each operator"):
        check_query_text(DEEP["not"], LIMIT)


FLAT = {  # lists pyoxigraph keeps flat: never counted, however long
    "values": "SELECT * { VALUES ?x { " + " ".join(str(-i) for i in range(10000)) + " } }",
    "values-rows": "SELECT * { VALUES (?a ?b) { "
    + " ".join(f"(<urn:x#{i}> <urn:y#{i}>)" for i in range(1500))
    + " } }",
    "in-list": "SELECT * { ?s ?p ?o FILTER(?o IN ("
    + ", ".join(f"<http://x/{i}>" for i in range(3000))
    + ")) }",
    "arguments": "SELECT (CONCAT(" + ",".join(["'a'"] * 12000) + ") AS ?c) {}",
    "long-string": "SELECT * { ?s ?p '" + "((((!!!!" * 7000 + "' }",
    "comments": "SELECT * {\n" + "# (((( !!!! {{{{\n" * 3000 + "}",
    "wide": "SELECT * { " + " ".join(f"OPTIONAL {{ ?s {P} ?o{i} }}" for i in range(300)) + " }",
    "or-of-300": "SELECT * { ?s ?p ?x FILTER("
    + " || ".join(f"?x = <http://x/{i}>" for i in range(300))
    + ") }",
}


@pytest.mark.parametrize("name", FLAT)
def test_flat_lists_pass(name):
    query = FLAT[name]
    assert len(query) <= LIMIT and could_exceed(query)
    depth = nesting(query)
    assert depth.brackets <= MAX_BRACKETS and depth.levels <= MAX_LEVELS and depth.unclear is None
    check_query_text(query, LIMIT)


def test_too_many_places_to_read_two_ways_are_refused_as_unclear():
    # each '<#aN>' after another term in parentheses could be '<' then a comment: too many readings
    collection = "(" + " ".join(f"<#a{i}>" for i in range(40)) + ")"
    query = f"SELECT * {{ ?s {P} {collection} " + "{ ?s ?p ?o } " * 300 + "}"  # long enough to scan
    with pytest.raises(Problem, match="depth cannot be checked: '<' could be read"):
        check_query_text(query, LIMIT)


def test_a_text_of_uncounted_parts_is_refused_as_unclear():
    query = "ASK {}" + ")" * 30000  # stray closers: no level, but a scan's worth of tokens
    with pytest.raises(Problem, match="depth cannot be checked: it has over 20000 parts"):
        check_query_text(query, LIMIT)


# At the limits, the costliest constructs per level found (nested calls ~10 kB of stack each, MINUS
# and BIND ~3.2 kB, DESCRIBE's terms ~3.2 kB), filled up to the limits as measured: pyoxigraph runs
# each without crashing. A child process, as a crash would end this one.
AT_LIMIT = {
    "exists-then-minus": lambda n: "ASK { " + "FILTER(EXISTS{ " * 42 + "MINUS{} " * n + "})" * 42 + " }",
    "exists-then-bind": lambda n: (
        "ASK { " + "FILTER(EXISTS{ " * 42 + " ".join(f"BIND(1 AS ?v{i})" for i in range(n)) + "})" * 42 + " }"
    ),
    "calls-then-nots": lambda n: "ASK { FILTER(" + "STR(" * 126 + "!" * n + "true" + ")" * 126 + ") }",
    "aggregates-then-sum": lambda n: (
        "SELECT (" + "SUM(" * 126 + "+".join(["1"] * n) + ")" * 126 + " AS ?x) {}"
    ),
    "subqueries-then-minus": lambda n: (
        "ASK { " + "{SELECT * WHERE {" * 63 + "MINUS{} " * n + "}}" * 63 + " }"
    ),
    "describe": lambda n: "DESCRIBE " + " ".join([P] * n),
    "select-expressions": lambda n: "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(n)) + " {}",
}
RUN = r"""
import sys, pyoxigraph as ox
try:
    ox.Store().query(sys.stdin.read())
except SyntaxError:
    sys.exit(3)
"""


def _largest_within_limits(make) -> int:
    lo, hi = 1, 5000
    while hi - lo > 1:
        mid = (lo + hi) // 2
        depth = nesting(make(mid))
        if depth.brackets <= MAX_BRACKETS and depth.levels <= MAX_LEVELS:
            lo = mid
        else:
            hi = mid
    return lo


@pytest.mark.parametrize("name", AT_LIMIT)
def test_a_query_at_the_limits_does_not_crash_pyoxigraph(name):
    query = AT_LIMIT[name](_largest_within_limits(AT_LIMIT[name]))
    check_query_text(query, LIMIT)
    done = subprocess.run(
        [sys.executable, "-c", RUN], input=query, text=True, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]  # a stack overflow ends it by a signal


def test_the_cheap_bound_holds_for_the_deep_and_flat_texts():
    # could_exceed may skip the scan only where no reading could pass a limit: the levels are never
    # more than item_bound, the brackets never more than the openers
    for query in [*DEEP.values(), *FLAT.values()]:
        depth = nesting(query)
        assert depth.levels <= item_bound(query)
        assert depth.brackets <= query.count("{") + query.count("(") + query.count("[")


PIECES = [*"{}()[]!|&=<>+-*/^?$:.,;#'\"\\ \naA1_@", "true", "VALUES", "<http://x/>", "<#a>"]
SPARQLISH = st.lists(st.sampled_from(PIECES), max_size=300).map("".join)


@settings(max_examples=400, deadline=None)
@given(SPARQLISH)
def test_any_text_stays_within_the_cheap_bound(text):
    depth = nesting(text)
    assert depth.levels <= item_bound(text)
    assert depth.brackets <= text.count("{") + text.count("(") + text.count("[")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("'\"\\\n<>#au0{ ")))
def test_strings_iris_and_comments_are_read_as_quoted_reads_them(text):
    # TEXT_SRC is QUOTED, except that a short string left open runs to where it stops
    quoted, ours = QUOTED.match(text), re.match(TEXT_SRC, text)
    if quoted:
        assert ours is not None and ours.group() == quoted.group()
    elif ours:
        assert text[0] in "'\"" and not re.match(r"'''|\"\"\"", ours.group())


def test_an_open_string_is_read_once_to_where_it_stops():
    # QUOTED finds no string here and tries again at each quote in it: time growing with the square
    # of the length. TEXT_SRC takes the open string whole, once.
    text = "'" + "\\'" * 20000 + "\n(("
    assert QUOTED.match(text) is None
    assert re.match(TEXT_SRC, text).end() == text.index("\n")
