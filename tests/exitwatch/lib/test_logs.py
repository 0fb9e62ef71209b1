"""Production logs: one JSON object per line, each with the request id, never a
client's address or browser."""

import json
import logging

import pytest

from exitwatch.lib.logs import JsonLogFormatter, RequestIdFilter
from tests.support.subprocesses import python

pytestmark = pytest.mark.django_db

TRAVELLER = "203.0.113.9"
FORWARDED = "198.51.100.23"
BROWSER = "TravellerPhone/1.0"


def test_each_response_carries_a_request_id(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_nginx_request_id_is_kept_and_a_forged_one_replaced(client):
    given = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" level="CRITICAL')
    assert forged["X-Request-ID"] != 'x" level="CRITICAL'
    assert len(forged["X-Request-ID"]) == 32


def test_a_record_with_a_request_attached_loses_the_request_not_the_line(rf):
    request = rf.get("/crossings/x/", REMOTE_ADDR=TRAVELLER, HTTP_USER_AGENT=BROWSER)
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None
    )
    record.request = request
    record.status_code = 404
    RequestIdFilter().filter(record)
    line = JsonLogFormatter().format(record)
    data = json.loads(line)
    assert data["message"] == "Not Found: /x/"
    assert data["level"] == "WARNING"
    assert data["status_code"] == 404
    assert "request" not in data
    assert TRAVELLER not in line and BROWSER not in line


# Production settings in a fresh interpreter: a traveller's request to a page that
# does not exist (Django logs it with the request attached) and a report rejected.
PRODUCTION_REQUEST = f"""
import django, json
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR="{TRAVELLER}", HTTP_X_FORWARDED_FOR="{FORWARDED}",
                HTTP_USER_AGENT="{BROWSER}")
ids = [client.get(path)["X-Request-ID"] for path in ("/no-such-page/", "/api/v1/nope/")]
print(json.dumps(ids))
"""


def test_production_logs_are_json_lines_with_the_request_id_and_no_address():
    result = python(
        PRODUCTION_REQUEST,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SSL_REDIRECT="0",
        NUM_PROXIES="1",
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
    )
    assert result.returncode == 0, result.stderr
    ids = json.loads(result.stdout.strip().splitlines()[-1])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one object
    not_found = [r for r in records if r["message"].startswith("Not Found")]
    assert [r["request_id"] for r in not_found] == ids
    for record in not_found:
        assert {"time", "level", "logger", "message", "request_id"} <= set(record)
    for secret in (TRAVELLER, FORWARDED, BROWSER):
        assert secret not in result.stderr


def test_development_logs_stay_plain_and_the_format_can_be_chosen():
    code = (
        "from exitwatch.settings import LOGGING;"
        "print(LOGGING['handlers']['console']['formatter'])"
    )
    assert python(code, DJANGO_DEBUG="1").stdout.strip() == "plain"
    assert python(code, DJANGO_DEBUG="1", LOG_FORMAT="json").stdout.strip() == "json"
    refused = python(code, DJANGO_DEBUG="1", LOG_FORMAT="xml")
    assert refused.returncode != 0 and "LOG_FORMAT" in refused.stderr
