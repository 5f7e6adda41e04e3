"""The remote store seam over a real SPARQL server (oxigraph serve): graphs, bound values, errors.
That every named query gives the embedded store's answer there is tests/remote/test_store_parity.py."""

import pyoxigraph as ox
import pytest
from otkg.kg.sparql_text import BindingError, query_form, with_values


def test_remote_store_lists_the_loaded_graphs(oxigraph_server, assembled):
    names = oxigraph_server.graph_names()
    assert "https://w3id.org/otkg/graph/doc-004" in names and "https://w3id.org/otkg/graph/ontology" in names


def test_values_block_opens_the_where_group_and_escapes_terms():
    text = with_values('SELECT ?x WHERE { ?x ?p "WHERE {" }', {ox.Variable("x"): ox.Literal('a"b')})
    assert text == 'SELECT ?x WHERE { VALUES (?x) { ("a\\"b") } ?x ?p "WHERE {" }'
    with pytest.raises(BindingError):
        with_values("ASK { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode("http://x")})


def test_remote_syntax_error_is_a_syntax_error(oxigraph_server):
    with pytest.raises(SyntaxError):
        oxigraph_server.query("SELEC * WHERE")


def test_query_form_skips_keywords_in_strings_iris_and_comments():
    assert (
        query_form('PREFIX a: <http://x/SELECT#> # ASK me\nCONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
        == "CONSTRUCT"
    )
