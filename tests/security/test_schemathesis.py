"""Schemathesis against the live server, over every operation of its /openapi.json (issue 5): no
server error, and every status, media type and JSON body as the description says
(api/openapi_responses.py completes what FastAPI generates).

Bounded and repeatable: at most MAX_EXAMPLES generated cases per operation, derandomised.
"""

from __future__ import annotations

import httpx
import schemathesis
from otkg.api.main import create_app
from otkg.api.openapi_choices import without_choices
from otkg.api.settings import Settings
from otkg.kg.query.query_catalog import load_catalog
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx, value) -> bytes:
    """A SPARQL query or update body is its text, as UTF-8."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()


# The description is the app's own, generated without starting it; the cases go to the live server.
OPENAPI = create_app(Settings()).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


@schema.parametrize()
def test_every_operation_conforms_to_its_description(case, live_server):
    case.call_and_validate(base_url=live_server, checks=CHECKS, timeout=30)


def test_the_live_server_publishes_the_description_tested_here(live_server):
    # the served one also lists the graph's entities as choices (api/openapi_choices.py)
    served = httpx.get(live_server + "/openapi.json", timeout=30).json()
    assert without_choices(served, load_catalog()) == OPENAPI
