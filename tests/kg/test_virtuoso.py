"""The catalogue on Virtuoso (runs when `virtuoso-t` is installed): the embedded store's answers,
up to two documented engine differences."""

import pytest

from tests.kg.test_remote_store import CATALOG, _answer, _cases

pytestmark = pytest.mark.virtuoso
# Virtuoso 7.2 returns some rows twice under SELECT DISTINCT when they hold long literals.
DUPLICATES = {"quantitative-claims", "document-figures", "recommendations"}


def _normalised(answer):
    """Virtuoso gives GROUP_CONCAT over no values as "" (as SPARQL 1.1 says); Oxigraph leaves it
    unbound. Treat both as absent."""
    if not isinstance(answer, tuple):
        return answer
    variables, rows = answer
    return variables, sorted(tuple(kv for kv in row if kv[1] != ("",)) for row in rows)


def _params():
    for case in _cases():
        name = case.values[0]
        marks = (
            [pytest.mark.xfail(reason="Virtuoso 7.2 repeats rows under SELECT DISTINCT", strict=False)]
            if name in DUPLICATES
            else []
        )
        yield pytest.param(*case.values, id=case.id, marks=marks)


@pytest.mark.parametrize("name,params", list(_params()))
def test_virtuoso_gives_the_embedded_answer(embedded_store, virtuoso_server, name, params):
    q = CATALOG[name]
    assert _normalised(_answer(virtuoso_server, q, params)) == _normalised(_answer(embedded_store, q, params))
