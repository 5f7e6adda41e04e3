"""The hot-route shortcut (api/hot_routes.py) answers exactly as FastAPI's routing would, and is taken."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from otkg.api.hot_routes import HotRoutes
from otkg.api.main import create_app

ENTITY = "https://w3id.org/otkg/id/intervention-04"
EVIDENCE = f"/queries/evidence-for-entity?entity={ENTITY}"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/otkg/ontology#CareCluster> } ORDER BY ?s LIMIT 3"
REQUESTS = [
    (EVIDENCE, None),
    (EVIDENCE + "&format=csv", None),
    (EVIDENCE + "&limit=2&offset=1", "text/tab-separated-values"),
    (EVIDENCE, "application/sparql-results+xml;q=0.5, text/csv"),
    (EVIDENCE, "image/png"),  # 406
    (EVIDENCE, "text/html"),  # the query's page: not hot, served by the app
    ("/queries/evidence-for-entity?entity=not-an-iri", None),  # 422 naming the parameter
    ("/queries/evidence-for-entity?entity=https://a.example/%E2%80%8Fx", None),  # 422 RTL mark
    ("/queries/evidence-for-entity?bogus=1", None),
    (EVIDENCE + f"&entity={ENTITY}", None),  # 400 given twice
    (EVIDENCE + "&limit=0", None),
    ("/queries/evidence-for-entity", None),  # required parameter missing
    ("/queries/describe-entity?entity=" + ENTITY, "text/turtle"),
    ("/queries/describe-entity?entity=" + ENTITY, "application/sparql-results+json"),  # 406 for a graph
    ("/queries/care-clusters", None),
    ("/queries/no-such-query", None),  # not in the catalogue: the app's 404
    ("/sparql", None),  # the service description
    ("/sparql?query=" + quote(SELECT), None),
    ("/sparql?query=" + quote(SELECT) + "&format=tsv", None),
    ("/sparql?query=" + quote("ASK {}"), "application/sparql-results+xml"),
    ("/sparql?query=" + quote("SELECT ?s WHERE {"), None),  # 400 syntax
    ("/sparql?query=" + quote("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), None),  # refused
    ("/sparql?query=" + quote(SELECT) + "&query=" + quote(SELECT), None),  # 400 twice
    ("/sparql?query=" + quote("CONSTRUCT WHERE { ?s a ?t } LIMIT 1"), "text/csv"),  # 406
    ("/sparql?query=" + quote("ASK {}") + "&update=x", None),  # 403
    ("/sparql?query=" + quote(SELECT), "text/html"),  # the editor page
]


@pytest.fixture(scope="module")
def routed(client):
    """A second app over the same services with the shortcut taken out: FastAPI routes everything."""
    app = create_app(settings=client.app.state.settings, services=client.app.state.services)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not HotRoutes]
    with TestClient(app, follow_redirects=False) as c:
        yield c


def _seen(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "x-otkg-cache")}
    return response.status_code, headers, response.content


@pytest.mark.parametrize("url,accept", REQUESTS)
def test_the_shortcut_answers_as_the_router_does(client, routed, url, accept):
    headers = {"accept": accept} if accept else {}
    hot, slow = client.get(url, headers=headers), routed.get(url, headers=headers)
    assert _seen(hot) == _seen(slow)


def test_the_hot_routes_skip_the_router(client, monkeypatch):
    calls = []  # (fresh URLs throughout: a cached answer would not reach either path)
    router_class = type(client.app.router)
    original = router_class.__call__

    async def counting(self, scope, receive, send):
        calls.append(scope["path"])
        return await original(self, scope, receive, send)

    monkeypatch.setattr(router_class, "__call__", counting)
    assert client.get(EVIDENCE + "&limit=7").status_code == 200
    assert client.get("/sparql?query=" + quote(SELECT + " ")).status_code == 200
    assert client.get(EVIDENCE + "&limit=9", headers={"accept": "text/html"}).status_code == 200
    assert client.get("/queries").status_code == 200
    assert calls == ["/queries/evidence-for-entity", "/queries"]  # the page and the list only
