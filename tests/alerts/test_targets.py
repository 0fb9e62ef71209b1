"""Webhooks reach only public addresses: checked at registration and again,
after DNS resolution, at every delivery, which then connects to the address
checked (never resolving the name again)."""

import pytest

from alerts.sending import DeliveryRefused, DeliveryRetry, post_webhook
from alerts.targets import (
    TargetRefused,
    TargetUnresolved,
    target_addresses,
    target_check,
    target_parse,
)

STRICT = {"allow_http": False, "allow_private": False}


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",  # loopback inside IPv6
        "https://[fe80::1]/hook",
        "https://224.0.0.1/hook",  # multicast
        "https://240.0.0.1/hook",  # reserved
        "https://0.0.0.0/hook",
        "https://100.64.0.1/hook",  # carrier-grade NAT, shared
        "https://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
    ],
)
def test_it_refuses_addresses_that_are_not_public(url):
    with pytest.raises(TargetRefused):
        target_check(url, **STRICT)


def test_it_refuses_a_name_that_resolves_to_a_private_address(dns):
    dns["intranet.partner.example"] = ["10.1.2.3"]
    with pytest.raises(TargetRefused, match="10.1.2.3"):
        target_check("https://intranet.partner.example/hook", **STRICT)


def test_one_private_address_among_public_ones_refuses_the_name(dns):
    dns["mixed.partner.example"] = ["93.184.215.14", "127.0.0.1"]
    with pytest.raises(TargetRefused, match="127.0.0.1"):
        target_check("https://mixed.partner.example/hook", **STRICT)


def test_a_public_name_passes_with_its_addresses(dns):
    assert target_check("https://hooks.partner.example/x?y=1", **STRICT) == [
        "93.184.215.14"
    ]


def test_a_name_that_does_not_resolve_is_unresolved(dns):
    with pytest.raises(TargetUnresolved):
        target_check("https://nowhere.partner.example/hook", **STRICT)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.partner.example/hook", "https"),
        ("ftp://hooks.partner.example/hook", "https"),
        ("https://user:pw@hooks.partner.example/hook", "user name"),
        ("https:///hook", "no host"),
        ("https://hooks.partner.example:99999/", "valid URL"),
    ],
)
def test_it_refuses_urls_of_the_wrong_form(dns, url, why):
    with pytest.raises(TargetRefused, match=why):
        target_check(url, **STRICT)


def test_private_and_http_are_allowed_only_when_the_settings_say_so():
    assert target_check(
        "http://127.0.0.1:8700/hook", allow_http=True, allow_private=True
    ) == ["127.0.0.1"]


def post(url, **options):
    return post_webhook(
        url=url,
        body=b"{}",
        headers={"webhook-id": "msg_1"},
        timeout=2,
        **{**STRICT, **options},
    )


def test_a_delivery_checks_the_address_again_after_resolving(dns, receiver):
    # Public when registered; now the name answers loopback (DNS rebinding).
    dns["hooks.partner.example"] = ["127.0.0.1"]
    with pytest.raises(DeliveryRefused, match="127.0.0.1"):
        post(f"https://hooks.partner.example:{receiver.port}/hook")
    assert receiver.received == []


def test_a_delivery_connects_to_the_checked_address_with_the_name_as_host(
    dns, receiver
):
    dns["hooks.partner.example"] = ["127.0.0.1"]
    status = post(
        f"http://hooks.partner.example:{receiver.port}/hook?k=v",
        allow_http=True,
        allow_private=True,
    )
    assert status == 204
    [request] = receiver.received
    assert request.path == "/hook?k=v"
    assert request.headers["host"] == f"hooks.partner.example:{receiver.port}"


def test_a_name_that_no_longer_resolves_is_retried_later(dns):
    with pytest.raises(DeliveryRetry):
        post("https://gone.partner.example/hook")


def test_redirects_are_not_followed(local_webhooks, receiver):
    receiver.answer(302)
    with pytest.raises(DeliveryRefused, match="HTTP 302"):
        post(receiver.url(), allow_http=True, allow_private=True)
    assert len(receiver.received) == 1


def test_an_international_name_is_resolved_and_sent_as_punycode(dns):
    dns["xn--e1afmkfd.partner.example"] = ["93.184.215.14"]
    target = target_parse("https://пример.partner.example/hook", allow_http=False)
    assert target.host == target.host_header == "xn--e1afmkfd.partner.example"
    assert target_addresses(target, allow_private=False) == ["93.184.215.14"]
