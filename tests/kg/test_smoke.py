def test_source_documents_are_in_the_graph(ask):
    rows = ask("SELECT DISTINCT ?f WHERE { ?d a otkg:SourceDocument ; otkg:fileName ?f } ORDER BY ?f")
    assert [r["f"][:3] for r in rows] == ["000", "001", "002", "003", "004"]
