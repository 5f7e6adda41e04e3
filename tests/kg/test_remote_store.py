"""The same catalogue over a real SPARQL server (oxigraph serve) gives the embedded store's answers."""

import pyoxigraph as ox
import pytest
from otkg.kg.query import query_service
from otkg.kg.query.query_catalog import load_catalog
from otkg.kg.sparql_text import BindingError, query_form, with_values
from otkg.kg.store.seam import is_graph_result

CATALOG = load_catalog()
# Parameter sets to compare beyond each query's example.
EXTRA = {
    "document-figures": [{"document": "https://w3id.org/otkg/id/doc-002"}],
    "policy-sources-of-kind": [{"kind": "Strategy"}],
    "service-specification-items": [{"kind": "ProcessStep"}],
    "entity-label-search": [{"text": 'x" } ; DROP ALL ; #'}],
}


# GROUP_CONCAT joins in no defined order, so engines may differ: compare those columns as sets.
CONCATENATED = {
    "documents": " ",
    "measures": ", ",
    "agents": "; ",
    "ledBy": "; ",
    "dataFrom": "; ",
    "informed": "; ",
    "period": " | ",
    "method": " | ",
    "title": " | ",
    "publisher": " | ",
    "year": " | ",
    "scopeNotes": " | ",
    "commentTexts": " | ",
}


def _value(name, term):
    sep = CONCATENATED.get(name)
    return tuple(sorted(term.value.split(sep))) if sep else str(term)


def _answer(store, q, params):
    if q.form == "SELECT":
        page = query_service.run_select(store, q, params, query_service.MAX_LIMIT, 0)
        return page.variables, sorted(
            tuple(sorted((k, _value(k, v)) for k, v in r.items())) for r in page.rows
        )
    result = query_service.run_graph(store, q, params)
    if is_graph_result(result):
        return sorted(str(t) for t in result)
    return bool(result)


def _cases():
    for name, q in sorted(CATALOG.items()):
        required = {p.name: str(p.example) for p in q.params if p.required}
        yield pytest.param(name, required, id=name)
        for extra in EXTRA.get(name, []):
            yield pytest.param(name, {**required, **extra}, id=f"{name}-{'-'.join(extra)}")


@pytest.mark.parametrize("name,params", list(_cases()))
def test_remote_server_gives_the_embedded_answer(embedded_store, oxigraph_server, name, params):
    q = CATALOG[name]
    assert _answer(oxigraph_server, q, params) == _answer(embedded_store, q, params)


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
