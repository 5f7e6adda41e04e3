"""The catalogue's rules: every header well formed, every query valid SPARQL; bad headers fail."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from otkg.kg.query.query_catalog import CatalogError, load_catalog, load_query

CATALOG = load_catalog()
BAD = sorted((Path(__file__).parent.parent / "data" / "bad-queries").glob("*.rq"))
BAD_MESSAGES = {
    "no-header": "no '#+' header",
    "bad-yaml": "not valid YAML",
    "no-summary": "'summary'",
    "unknown-type": "type 'uri'",
    "param-not-in-query": "not a variable of the query",
    "no-example": "needs an example",
    "no-tags": "'tags'",
    "unknown-key": "unknown header keys",
    "Bad_Name": "kebab-case",
    "param-only-optional": "only in OPTIONAL",
    "no-where": "WHERE keyword",
    "optional-without-default": "make it required",
    "class-not-iri": "has a class but is not of type iri",
    "class-unknown-prefix": "unknown prefix",
    "class-not-curie": "must be a CURIE",
}


def test_catalogue_has_at_least_thirty_questions_for_all_three_user_groups():
    assert len(CATALOG) >= 30
    tags = {t for q in CATALOG.values() for t in q.tags}
    assert {"researchers", "policy", "tools"} <= tags


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_query_parses_and_its_params_have_typed_examples(name):
    q = CATALOG[name]
    ox.Store().query(q.text)  # raises SyntaxError if the SPARQL is not valid
    assert q.summary.endswith("?") or q.summary.endswith(".")
    for p in q.params:
        assert p.example is not None


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_malformed_header_fails_naming_the_file(path):
    with pytest.raises(CatalogError, match=re.escape(BAD_MESSAGES[path.stem])) as err:
        load_query(path)
    assert str(err.value).startswith(path.name)
