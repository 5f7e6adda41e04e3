"""No parameter value changes a catalogue query's structure (issue 5): a hypothesis property over
every catalogue query and every parameter type, in process and through the HTTP layer.

The property, for each hostile value of one parameter (the others keep their examples): either the
value is refused by a ParamError (422 problem+json over HTTP) naming that parameter, or the bound
query has exactly the structure it has with the benign example, and it runs.

How "the same structure" is decided (rdflib's SPARQL parser as the oracle, pyoxigraph for values):
- Full comparison (`test_bound_queries_have_the_benign_algebra`): the bound query's algebra from
  rdflib's `prepareQuery`, with the rows of its VALUES data masked, equals the benign one's.
- Spliced comparison (the other tests; a full parse costs ~20 ms, too slow for thousands). The
  bound text is `head + block + tail`, where head (ending in `WHERE {`) and tail are the query's
  own text and only the VALUES block depends on the value; this is checked on the text itself.
  rdflib then parses the probe `ASK WHERE {` + block + ` FILTER(true) }` and its masked algebra
  must be exactly one VALUES of the expected variables followed by the FILTER. The FILTER is a
  sentinel: were the block to end inside a string or a comment, or to close the group itself, the
  FILTER would be swallowed or misplaced and the probe would fail or differ. So the block is one
  complete InlineData production whose tokens end where it ends; as it sits between the same
  tokens (`{` before, the query's own tail after) in the full query, and the grammar is context
  free, the full query parses as the benign one with one InlineData swapped for another. Finally
  pyoxigraph, the engine, evaluates `SELECT * WHERE {` + block + ` }` on an empty store and must
  read back exactly the bound terms.
Parsers disagree on one thing: SPARQL 1.1 section 19.2 expands \\uXXXX before parsing (rdflib does,
pyoxigraph does not), so a value holding such a sequence is refused (kg.query.query_service) and the
oracle reads every accepted value the way the engine does.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from urllib.parse import quote, unquote

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from otkg.kg.query import query_service
from otkg.kg.query.query_service import ParamError, bind
from otkg.kg.sparql_text import with_values
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

TYPES = ("iri", "string", "integer", "decimal", "boolean", "enum")
RUN = dict(
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Examples per test: 10,100 in all, 2,800 of them through the HTTP layer.
IN_PROCESS, FULL_ALGEBRA, OVER_HTTP, NAMES_OVER_HTTP = 6500, 800, 2200, 600

NASTY = [
    'x" } ; DROP ALL ; #',
    "> } ; DELETE WHERE {?s ?p ?o} #",
    "x' } ; DROP ALL ; #",
    "') } UNION { ?s ?p ?o",
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    '\\"',
    "\\'",
    "\\u0022",
    "\\U00000022",
    "\\u005C",
    "\\n",
    "{",
    "}",
    "(",
    ")",
    "#",
    "# comment",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x01",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u200f",
    "\u200e",
    "\u2066",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\U0001f600",
    "\ud800",
    "\udfff",
    "<",
    ">",
    "<>",
    "<http://127.0.0.1:9/x>",
    "^^<http://www.w3.org/2001/XMLSchema#integer>",
    "@en",
    "SELECT",
    "WHERE",
    "VALUES",
    "FILTER",
    "UNION",
    "OPTIONAL",
    "SERVICE <http://127.0.0.1:9/> {}",
    "LOAD <http://127.0.0.1:9/x>",
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "?s ?p ?o",
    "$x",
    "_:b0",
    "a:b",
    "%00",
    "%22",
    "&amp;",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "../../etc/passwd",
    "1e3",
    "0x1F",
    "+1",
    "-0",
    "1.",
    ".5",
    "NaN",
    "INF",
    "true",
    "TRUE",
    "false ",
    " ",
]
PREFIX = {"iri": "https://w3id.org/otkg/id/", "integer": "14", "decimal": "0.5", "boolean": "true"}
MASK = "masked"
JSON_RESULTS = "application/sparql-results+json"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
ENGINE = ox.Store()  # empty: reads a VALUES block back as the engine sees it


def hostile(param) -> st.SearchStrategy[str]:
    """Values for one parameter: its example, fixed nasties, generated text, and these after a
    valid-looking start (an IRI base, a number, an enum value) so that many get past the type check."""
    odd = st.characters(categories=["Cs", "Cc", "Cf"])  # lone surrogates, controls, format marks
    pieces = st.one_of(st.sampled_from(NASTY), st.text(max_size=6), odd)
    start = st.sampled_from(["", PREFIX.get(param.type, str(param.example)), str(param.example)])
    built = st.builds(lambda a, b: a + "".join(b), start, st.lists(pieces, max_size=6))
    filler = st.sampled_from(["x", '"', "}", "é"])
    long = st.builds(lambda a, n, c: a + c * n, start, st.integers(90, 2100), filler)
    return st.one_of(st.just(str(param.example)), built, built, long, st.text(max_size=40))


def targets(catalog) -> list[tuple]:
    """(query, parameter) for every parameter of every catalogue query."""
    return [(q, p) for q in catalog.values() for p in q.params]


def cases(pairs) -> st.SearchStrategy:
    """((query, parameter), value): each pair with its own value strategy, built once."""
    return st.one_of([st.tuples(st.just(qp), hostile(qp[1])) for qp in pairs])


def benign(q) -> dict[str, str]:
    return {p.name: str(p.example) for p in q.params}


def shape(node):
    """An rdflib algebra node as nested tuples, the rows of every VALUES masked to their variables."""
    if isinstance(node, CompValue):
        items = [(k, _rows(v) if node.name == "values" and k == "res" else shape(v)) for k, v in node.items()]
        return (node.name, tuple(sorted(items, key=lambda kv: kv[0])))
    if isinstance(node, dict):
        return tuple(sorted(((str(k), shape(v)) for k, v in node.items()), key=lambda kv: kv[0]))
    if isinstance(node, (list, tuple)):
        return tuple(shape(x) for x in node)
    if isinstance(node, (set, frozenset)):
        return frozenset(shape(x) for x in node)
    return node


def _rows(rows) -> tuple:
    return tuple(tuple(sorted((str(v), MASK) for v in row)) for row in rows)


class Oracle:
    """Decides whether a bound query has its benign structure (see the module docstring)."""

    def __init__(self, catalog):
        self.catalog, self._split, self._probe = catalog, {}, {}

    def split(self, q) -> tuple[str, str]:
        """The query's own text before and after the VALUES block that binding inserts."""
        if q.name not in self._split:
            marker = {ox.Variable("otkg_marker"): ox.Literal("marker")}
            text, block = with_values(q.text, marker), ' VALUES (?otkg_marker) { ("marker") }'
            at = text.index(block)
            self._split[q.name] = (text[:at], text[at + len(block) :])
        return self._split[q.name]

    @staticmethod
    def probe(block: str) -> str:
        return "ASK WHERE {" + block + " FILTER(true) }"

    def expected_probe(self, q):
        if q.name not in self._probe:
            head, tail = self.split(q)
            text = with_values(q.text, bind(q, benign(q)))
            block = text[len(head) : len(text) - len(tail)]
            self._probe[q.name] = shape(prepareQuery(self.probe(block)).algebra)
        return self._probe[q.name]

    def check(self, q, text: str, subs: dict) -> None:
        """Assert that `text` is q bound with `subs` and has q's benign structure."""
        head, tail = self.split(q)
        assert text.startswith(head) and text.endswith(tail), "the value reached the query's own text"
        block = text[len(head) : len(text) - len(tail)]
        assert shape(prepareQuery(self.probe(block)).algebra) == self.expected_probe(q), block
        rows = list(ENGINE.query("SELECT * WHERE {" + block + " }"))
        assert len(rows) == 1 and all(_same(rows[0][v], t) for v, t in subs.items()), block


def _same(read, bound) -> bool:
    """The engine read back the bound term (a decimal by its value: "00" comes back as "0")."""
    if read == bound:
        return True
    return (
        isinstance(read, ox.Literal)
        and isinstance(bound, ox.Literal)
        and read.datatype == bound.datatype
        and read.datatype.value == XSD_DECIMAL
        and Decimal(read.value) == Decimal(bound.value)
    )


@pytest.fixture(scope="module")
def oracle(security_app) -> Oracle:
    return Oracle(security_app.catalog)


@pytest.fixture(scope="module")
def store(security_app):
    """The store the app serves, opened in this process for queries run directly."""
    from otkg.kg.store.seam import EmbeddedStore

    return EmbeddedStore(ox.Store.read_only(str(security_app.store_folder)))


@contextmanager
def unchanged(security_app):
    """Assert that the served store's content hash is the same after the block as before it."""
    before = security_app.digest()
    yield
    assert security_app.digest() == before, "the store changed"


def bound_or_refused(q, param, value: str):
    """(text, substitutions) of q bound with `value` for `param`, or None if it is refused by name."""
    try:
        subs = bind(q, {**benign(q), param.name: value})
    except ParamError as exc:
        assert exc.param == param.name, f"refused naming {exc.param!r}, not {param.name!r}"
        return None
    return with_values(q.text, subs), subs


def test_every_parameter_type_is_covered(security_app):
    assert {p.type for _, p in targets(security_app.catalog)} == set(TYPES)


def check_bound_cases(pairs, examples: int, on_bound) -> int:
    """Run `on_bound(q, text, subs)` for every generated value that binds (refusals are checked by
    bound_or_refused); returns how many values were tried."""
    seen = []

    @settings(max_examples=examples, **RUN)
    @given(cases(pairs))
    def check(case):
        (q, param), value = case
        seen.append(value)
        bound = bound_or_refused(q, param, value)
        if bound is not None:
            on_bound(q, *bound)

    check()
    return len(seen)


def test_bound_queries_keep_their_structure_and_run(security_app, oracle, store):
    def runs(q, text, subs):
        oracle.check(q, text, subs)
        result = store.query(text)
        list(result) if q.form != "ASK" else bool(result)

    with unchanged(security_app):
        tried = check_bound_cases(targets(security_app.catalog), IN_PROCESS, runs)
    assert tried >= IN_PROCESS


def test_bound_queries_have_the_benign_algebra(security_app):
    pairs = targets(security_app.catalog)
    benign_shape = {
        q.name: shape(prepareQuery(with_values(q.text, bind(q, benign(q)))).algebra) for q, _ in pairs
    }

    def keeps_shape(q, text, _subs):
        assert shape(prepareQuery(text).algebra) == benign_shape[q.name], text

    assert check_bound_cases(pairs, FULL_ALGEBRA, keeps_shape) >= FULL_ALGEBRA


def _url(q, params: dict[str, str]) -> str:
    """The query's URL with every value percent-encoded as UTF-8 (lone surrogates as their bytes)."""
    pairs = "&".join(
        f"{quote(k.encode('utf-8', 'surrogatepass'), safe='')}="
        f"{quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in params.items()
    )
    return f"/queries/{q.name}?{pairs}"


def _as_received(value: str) -> str:
    """The value as the server decodes it from the URL (invalid UTF-8 becomes U+FFFD)."""
    return unquote(quote(value.encode("utf-8", "surrogatepass"), safe=""))


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_over_http_every_value_is_refused_by_name_or_bound_as_a_value(security_app, oracle):
    pairs, seen, client = targets(security_app.catalog), [], security_app.client
    calls = []

    def recording(text, subs):
        calls.append((text, subs, with_values(text, subs)))
        return calls[-1][2]

    @settings(max_examples=OVER_HTTP, **RUN)
    @given(cases(pairs))
    def check(case):
        (q, param), value = case
        seen.append(value)
        calls.clear()
        accept = "application/n-triples" if q.form in ("CONSTRUCT", "DESCRIBE") else JSON_RESULTS
        r = client.get(_url(q, {**benign(q), param.name: value}), headers={"accept": accept})
        if r.status_code == 422:
            assert _problem(r, 422)["parameter"] == param.name
            return
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(accept)
        mine = [c for c in calls if c[0] == q.text]
        if not mine:  # the same URL answered earlier: the response cache served it, nothing was bound
            assert r.headers.get("x-otkg-cache") == "hit", r.headers
            return
        ((_, subs, bound),) = mine
        assert subs[ox.Variable(param.name)] == query_service.to_term(param, _as_received(value))
        oracle.check(q, bound, subs)

    with unchanged(security_app), mock.patch.object(query_service, "with_values", recording):
        check()
    assert len(seen) >= OVER_HTTP


def test_over_http_an_unknown_parameter_name_is_refused_by_name(security_app):
    queries, seen, client = list(security_app.catalog.values()), [], security_app.client
    names = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=30)).filter(
        lambda n: _as_received(n) not in ("limit", "offset", "format")
    )

    @settings(max_examples=NAMES_OVER_HTTP, **RUN)
    @given(st.sampled_from(queries), names, st.sampled_from(NASTY))
    def check(q, name, value):
        seen.append(name)
        received = _as_received(name)
        if received in benign(q):
            return  # a real parameter given twice: a 400 of its own, covered in tests/api
        r = client.get(_url(q, {**benign(q), name: value}))
        assert _problem(r, 422)["parameter"] == received

    with unchanged(security_app):
        check()
    assert len(seen) >= NAMES_OVER_HTTP
