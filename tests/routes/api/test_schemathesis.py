"""Property-based: generated requests for every operation in the OpenAPI schema.

schemathesis drives the WSGI app in-process. Every response must be no 5xx, carry
a status code the schema documents for the operation, and have a body matching the
documented schema for that status. Writes are sent with a partner token allowed
every write (so their 201/200 bodies are checked too, not only the 401); report
submissions get a fresh single-use form token when the generated body has one.
bench/schemathesis_run.py runs the same checks with many more cases.
"""

from __future__ import annotations

import os

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from routes.reports.tokens import form_token_issue
from tests.routes.api.test_schema import world, writer  # noqa: F401  (fixtures)
from tests.support.apischema import SEEN, load_schema

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
REPORTS = "/api/v1/reports/"
# A few cases per operation here; bench/schemathesis_run.py asks for many more.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
schema = load_schema()


@pytest.fixture
def keep_test_connection():
    # The WSGI handler closes the database connection as a request starts and
    # finishes; that would end the test's transaction. Django's test client
    # unhooks the same two signals.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def authorize(case, partner) -> dict[str, str]:
    """Headers for a case: the partner's token, and a live form token for reports.

    Accept-Encoding: identity because schemathesis' WSGI transport does not undo a
    content coding, and the map answers gzip when asked (same document; the gzip
    bytes are checked in test_map.py)."""
    plain = {"Accept-Encoding": "identity"}
    if case.path == REPORTS and case.method == "POST":
        if isinstance(case.body, dict) and "form_token" in case.body:
            # Issued directly: a test-client request would re-hook the signals.
            case.body["form_token"] = form_token_issue()
        return plain  # anonymous by design: a trusted reporter token is another test
    return {**plain, "Authorization": partner._credentials["HTTP_AUTHORIZATION"]}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_no_5xx_and_answers_match_the_schema(
    case,
    world,  # noqa: F811
    writer,  # noqa: F811
    keep_test_connection,
):
    response = case.call_and_validate(headers=authorize(case, writer), checks=CHECKS)
    SEEN[(f"{case.method} {case.path}", response.status_code)] += 1


# Regressions for what the generated cases found.


def test_a_crossing_filter_that_is_no_slug_is_a_404_not_a_server_error(api, world):  # noqa: F811
    response = api.get("/api/v1/reports/", {"crossing": "He\x00x"})
    assert response.status_code == 404
    assert api.get("/api/v1/reports/", {"crossing": "upper-lars"}).status_code == 200


def test_the_schema_admits_blank_source_links_and_unparsable_body_errors(api):
    spec = api.get("/api/v1/schema/", {"format": "json"}).json()
    crossing = spec["components"]["schemas"]["Crossing"]["properties"]
    assert {"maxLength": 0} in crossing["last_source_url"]["anyOf"]
    flights = spec["paths"]["/api/v1/flights/"]["post"]["responses"]["400"]
    body = flights["content"]["application/json"]["schema"]
    assert body["properties"]["detail"] == {"type": "string"}
    for path in ("/api/v1/reports/", "/api/v1/reports/crossings/{slug}/"):
        assert "404" in spec["paths"][path]["get"]["responses"], path
