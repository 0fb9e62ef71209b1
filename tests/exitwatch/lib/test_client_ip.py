"""The client address behind trusted proxies; throttles that a forged header cannot
dodge and whose cache keys do not hold the address."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from rest_framework.request import Request
from rest_framework.views import APIView

from exitwatch.lib.client_ip import client_ip, client_key
from exitwatch.lib.throttling import AnonRateThrottle

rf = RequestFactory()


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/api/v1/crossings/", **extra)


@override_settings(NUM_PROXIES=0)
def test_without_proxies_the_header_is_ignored():
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@override_settings(NUM_PROXIES=1)
def test_behind_one_proxy_the_address_it_appended_counts_not_what_the_client_wrote():
    # nginx appends the address it saw; the client forged the one before it.
    request = request_from("127.0.0.1", "203.0.113.9, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


@override_settings(NUM_PROXIES=2)
def test_behind_two_proxies_the_second_from_the_right_counts():
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1")
    assert client_ip(request) == "198.51.100.7"


@override_settings(NUM_PROXIES=1)
def test_with_no_header_behind_a_proxy_the_socket_address_counts():
    assert client_ip(request_from("198.51.100.7")) == "198.51.100.7"


class Tiny(AnonRateThrottle):
    rate = "3/minute"


@override_settings(NUM_PROXIES=1)
def test_a_forged_forwarded_for_does_not_dodge_the_throttle():
    cache.clear()
    allowed = 0
    for i in range(10):
        # Each request claims a new origin; nginx appends the same real address.
        http = request_from("127.0.0.1", f"203.0.113.{i}, 198.51.100.7")
        if Tiny().allow_request(Request(http), APIView()):
            allowed += 1
    assert allowed == 3
    # Another real client still gets through.
    other = request_from("127.0.0.1", "203.0.113.1, 198.51.100.8")
    assert Tiny().allow_request(Request(other), APIView())


@override_settings(NUM_PROXIES=1)
def test_throttle_keys_hold_a_hash_not_the_address():
    http = request_from("127.0.0.1", "198.51.100.7")
    throttle = Tiny()
    assert throttle.allow_request(Request(http), APIView())
    assert "198.51.100.7" not in throttle.key
    assert client_key(http) in throttle.key
    assert client_key(http) != client_key(request_from("198.51.100.8"))


@pytest.mark.django_db
def test_the_configured_throttle_classes_are_ours(settings):
    from rest_framework.settings import api_settings

    classes = {c.__module__ for c in api_settings.DEFAULT_THROTTLE_CLASSES}
    assert classes == {"exitwatch.lib.throttling"}
    assert api_settings.NUM_PROXIES == settings.NUM_PROXIES
