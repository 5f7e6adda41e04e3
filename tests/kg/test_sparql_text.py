"""The text checks run before the engine: fast paths give the answers of the full scans."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from otkg.api.errors import Problem
from otkg.api.routers.sparql import MAX_DEPTH, check_query_text
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.sparql_text import calls_volatile, fetching_keyword, names_dataset, nesting_depth, with_values


@pytest.mark.parametrize(
    "text,keyword",
    [
        ("SELECT * { service <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        (
            "SELECT * { \u017fervice <http://127.0.0.1:9/> { ?s ?p ?o } }",
            "SERVICE",
        ),  # long s upper-cases to S
        ("load <http://127.0.0.1:9/x>", "LOAD"),
        ("SELECT ?load ?service WHERE { ?s ?p 'SERVICE workload' } # LOAD", None),
        # glued to the token before: pyoxigraph runs `?c ex:code 1SERVICE <...> {}`
        ("SELECT * { ?c <http://x/code> 1SERVICE <http://127.0.0.1:9/> {} }", "SERVICE"),
        ("SELECT * { ?c <http://x/code> trueSERVICE <http://127.0.0.1:9/> {} }", "SERVICE"),
        ("SELECT * { ?c <http://x/code> 1e1service <http://127.0.0.1:9/> {} }", "SERVICE"),
        ("SELECT * { <http://example.org/service> ex:download _:service }", None),
        ("SELECT * WHERE { ?s ?p ?o }", None),
    ],
)
def test_fetching_keywords_in_any_case(text, keyword):
    assert fetching_keyword(text) == keyword


@pytest.mark.parametrize(
    "text",
    [
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT ?x WHERE { BIND(rand() AS ?x) }",
        "SELECT (STRUUID() AS ?u) (UUID() AS ?v) WHERE {}",
        "SELECT ?b WHERE { BIND(BNODE() AS ?b) }",
        "SELECT * WHERE { ?s ?p ?o } ORDER BYNOW()",  # pyoxigraph reads keywords glued together
        "SELECT * WHERE { FILTER(1<2&&NOW()>'x') }",  # `<2&&NOW()>` is no IRI in pyoxigraph's reading
        "SELECT * WHERE { FILTER(NOW #c\n ()) }",
        "SELECT * WHERE { ?s ?p '" + "x" * 9000 + "' } # now",  # too long to scan: taken as calling one
        "SELECT * WHERE { <http://example.org/now> ?p ?o }",  # an IRI may read as code: taken as one
    ],
)
def test_a_query_calling_a_function_whose_value_changes_is_volatile(text):
    assert calls_volatile(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?now ?rand WHERE { ?s ex:known ?o . ?o now:x $uuid }",
        "SELECT * WHERE { ?s ?p 'NOW, RAND' } # random",
        "SELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_names_and_quoted_text_are_not_calls(text):
    assert not calls_volatile(text)


def test_no_catalogue_query_is_volatile_so_all_may_run_in_the_api_process():
    catalog = load_catalog()
    assert len(catalog) > 30
    assert [name for name, q in catalog.items() if calls_volatile(q.text)] == []


def test_depth_is_counted_only_when_it_could_be_too_deep():
    shallow = "SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH
    check_query_text(shallow, 65536)  # exactly at the limit: accepted
    deep = "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)
    with pytest.raises(Problem, match=f"nests {MAX_DEPTH + 1} levels"):
        check_query_text(deep, 65536)
    # many openers side by side are not deep: the full count is made and passes
    wide = "SELECT * WHERE { " + " ".join(["{ ?s ?p ?o }"] * (MAX_DEPTH + 5)) + " }"
    assert nesting_depth(wide) == 2
    check_query_text(wide, 65536)


def test_values_go_after_the_first_where_of_each_text():
    q = "# WHERE { in a comment\nSELECT ?x WHERE { ?x ?p ?o }"
    bound = with_values(q, {ox.Variable("x"): ox.NamedNode("http://a.example/")})
    assert bound.endswith("WHERE { VALUES (?x) { (<http://a.example/>) } ?x ?p ?o }")
    assert with_values(q, {ox.Variable("x"): ox.Literal("b")}).endswith(
        'WHERE { VALUES (?x) { ("b") } ?x ?p ?o }'
    )


@pytest.mark.parametrize(
    "text,names",
    [
        ("SELECT * from <http://a.example/g> WHERE { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <http://a.example/g> WHERE { GRAPH ?g { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s ?p 'from' } # FROM <http://a.example/g>", False),
        ("SELECT ?fromage WHERE { ?s <http://a.example/from> ?fromage }", False),
        ("SELECT * WHERE { ?s ?p ?o }", False),
    ],
)
def test_a_query_names_its_dataset_only_with_a_from_clause(text, names):
    assert names_dataset(text) is names
