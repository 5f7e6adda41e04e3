"""The `graph` header of a named query: which iri parameter (or which IRI) names the graph of a
CONSTRUCT's triples; a header that cannot say so fails, naming the file."""

from __future__ import annotations

import pytest
from otkg.kg.query.query_catalog import CatalogError, load_catalog, load_query

BODY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }\n"


def _query(tmp_path, header: str, body: str = BODY):
    path = tmp_path / "a-query.rq"
    path.write_text(
        "#+ summary: A question.\n#+ description: An answer.\n#+ tags: [tools]\n"
        "#+ params:\n#+   - {name: g, type: iri, required: true, example: 'https://x.org/g'}\n"
        "#+   - {name: s, type: string, required: true, example: x}\n" + header + body
    )
    return load_query(path)


def test_the_export_of_a_document_graph_declares_its_graph_parameter():
    q = load_catalog()["export-document-graph"]
    assert q.graph == "graph"
    assert (
        q.graph_name({"graph": "https://w3id.org/otkg/graph/doc-001"})
        == "https://w3id.org/otkg/graph/doc-001"
    )


def test_queries_without_the_header_name_no_graph():
    assert load_catalog()["describe-entity"].graph_name({"entity": "https://w3id.org/otkg/id/x"}) is None


def test_a_fixed_iri_is_the_graph_whatever_the_parameters(tmp_path):
    q = _query(tmp_path, "#+ graph: https://w3id.org/otkg/graph/ontology\n")
    assert q.graph_name({"g": "https://x.org/g"}) == "https://w3id.org/otkg/graph/ontology"


@pytest.mark.parametrize(
    "header,message",
    [
        ("#+ graph: nope\n", "'graph' 'nope' must name one of its iri params"),
        ("#+ graph: s\n", "'graph' 's' must name one of its iri params"),
        ("#+ graph: [g]\n", "must name one of its iri params"),
    ],
    ids=["unknown-param", "string-param", "not-a-name"],
)
def test_a_graph_header_naming_no_iri_param_fails(tmp_path, header, message):
    with pytest.raises(CatalogError, match=message) as err:
        _query(tmp_path, header)
    assert str(err.value).startswith("a-query.rq")


def test_a_graph_header_on_a_select_fails(tmp_path):
    select = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }\n"
    with pytest.raises(CatalogError, match="a SELECT answers none"):
        _query(tmp_path, "#+ graph: g\n", select)
