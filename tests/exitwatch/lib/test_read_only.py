"""DJANGO_READ_ONLY=1: reads work with a banner, every write gets 503."""

import pytest
from django.test import override_settings

from routes.models import BorderCrossing

pytestmark = pytest.mark.django_db


@override_settings(READ_ONLY=True)
def test_pages_still_answer_and_show_the_banner(client, crossing):
    response = client.get("/")
    assert response.status_code == 200
    assert "read-only-banner" in response.content.decode()
    # The map page draws its data in the browser; /lite/ renders it.
    assert "Upper Lars" in client.get("/lite/").content.decode()


def test_no_banner_when_writable(client):
    assert "read-only-banner" not in client.get("/").content.decode()


@override_settings(READ_ONLY=True)
def test_an_api_write_gets_503_json_with_retry_after(client):
    response = client.post("/api/v1/reports/", {"crossing": "upper-lars"})
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert response.json()["code"] == "read_only"


@override_settings(READ_ONLY=True)
def test_an_admin_edit_gets_503_and_changes_nothing(admin_client, crossing):
    url = f"/admin/routes/bordercrossing/{crossing.pk}/change/"
    response = admin_client.post(url, {"name_en": "Changed"})
    assert response.status_code == 503
    assert "read-only" in response.content.decode().lower()
    assert BorderCrossing.objects.get(pk=crossing.pk).name_en == "Upper Lars"


@override_settings(READ_ONLY=True)
def test_logging_in_waits_too(client, superuser):
    response = client.post(
        "/admin/login/",
        {"username": "boss", "password": "correct horse battery staple"},
    )
    assert response.status_code == 503
    assert "_auth_user_id" not in client.session


@override_settings(READ_ONLY=True)
def test_switching_language_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert response.status_code == 302
