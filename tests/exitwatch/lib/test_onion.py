"""The onion host is plain HTTP: no redirect, no HSTS; clearnet HTML pages say where
the same page is over Tor (Onion-Location)."""

import pytest

from tests.support.onion import ONION

pytestmark = pytest.mark.django_db


@pytest.fixture
def onion_site(settings):
    """Production's HTTPS settings, with an onion address."""
    settings.ONION_ADDRESS = ONION
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ONION]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


def test_a_clearnet_page_names_the_same_page_over_tor(client, onion_site):
    response = client.get("/lite/?lang=ru", secure=True)
    assert response.status_code == 200
    assert response["Onion-Location"] == f"http://{ONION}/lite/?lang=ru"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_onion_link_never_carries_a_travellers_documents(client, onion_site):
    response = client.get(
        "/?citizenship=BY&document=internal&visa=schengen&lang=ru&at=2022-09-25",
        secure=True,
    )
    assert response.status_code == 200
    assert response["Onion-Location"] == f"http://{ONION}/?lang=ru&at=2022-09-25"


def test_only_html_names_the_onion(client, onion_site):
    response = client.get("/api/v1/crossings/", secure=True)
    assert response.status_code == 200
    assert "Onion-Location" not in response


def test_without_an_onion_address_no_page_names_one(client, settings):
    settings.ONION_ADDRESS = ""
    response = client.get("/lite/")
    assert response.status_code == 200
    assert "Onion-Location" not in response


def test_the_onion_host_is_answered_over_http_without_redirect_or_hsts(
    client, onion_site
):
    response = client.get("/lite/", HTTP_HOST=ONION, HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 200
    assert "Location" not in response
    assert "Strict-Transport-Security" not in response
    assert "Onion-Location" not in response  # Tor Browser is there already
    assert response["X-Content-Type-Options"] == "nosniff"  # the rest is Django's


def test_the_onion_host_gets_no_hsts_even_if_something_says_https(client, onion_site):
    response = client.get("/lite/", HTTP_HOST=ONION, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_the_clearnet_is_still_sent_to_https(client, onion_site):
    response = client.get("/lite/?lang=ru", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/lite/?lang=ru"


def test_an_onion_host_that_is_not_ours_is_refused(client, onion_site):
    other = "b" * 56 + ".onion"
    response = client.get("/lite/", HTTP_HOST=other)
    assert response.status_code == 400
