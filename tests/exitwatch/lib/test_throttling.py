"""The API throttles hold while Redis is away: each process counts on its own."""

import time

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from exitwatch.lib.throttling import AnonRateThrottle, throttle_cache


class Tiny(AnonRateThrottle):
    rate = "3/minute"


@pytest.fixture
def redis_unreachable(settings):
    """The project's cache backend pointed at a port nothing listens on, whose
    local copies (what it answers with meanwhile) last a tenth of a second."""
    settings.CACHES = {
        "default": {
            "BACKEND": "exitwatch.lib.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"retry_after": 60, "fallback_timeout": 0.1},
        }
    }
    throttle_cache.local.clear()
    yield
    throttle_cache.local.clear()


def allowed(requests: int, pause: float = 0.0) -> int:
    count = 0
    for _ in range(requests):
        http = RequestFactory().get("/api/v1/crossings/", REMOTE_ADDR="198.51.100.7")
        if Tiny().allow_request(Request(http), APIView()):
            count += 1
        time.sleep(pause)
    return count


def test_with_redis_down_a_client_still_gets_only_the_rate(redis_unreachable):
    # Spread past the backend's short-lived local copies: the history must not
    # be forgotten between two requests.
    assert allowed(8, pause=0.15) == 3


def test_with_redis_down_other_clients_keep_their_own_allowance(redis_unreachable):
    assert allowed(4) == 3
    http = RequestFactory().get("/api/v1/crossings/", REMOTE_ADDR="198.51.100.8")
    assert Tiny().allow_request(Request(http), APIView())


@pytest.mark.django_db
def test_the_public_reports_list_is_throttled(client, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )
    codes = [client.get("/api/v1/reports/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    throttled = client.get("/api/v1/reports/")
    assert int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()
