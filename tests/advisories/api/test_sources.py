"""GET /api/v1/sources/: the health of every feed and provider."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advisories.models import AdvisorySource
from routes.flights.models import FlightProvider

pytestmark = pytest.mark.django_db


def test_it_lists_every_source_with_its_health(
    client, sources, django_assert_max_num_queries
):
    now = timezone.now()
    AdvisorySource.objects.filter(key="us-state").update(
        last_success_at=now - timedelta(minutes=20),
        last_attempt_at=now - timedelta(minutes=20),
        items_seen=69,
        items_changed=2,
    )
    AdvisorySource.objects.filter(key="uk-fcdo").update(
        last_success_at=now - timedelta(hours=13),
        last_error_at=now - timedelta(minutes=5),
        last_error="HTTP 503 from https://www.gov.uk/api/content/foreign-travel-advice",
    )
    FlightProvider.objects.create(key="travelpayouts", name="Travelpayouts")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/sources/")
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    rows = {row["key"]: row for row in response.json()}
    assert list(rows) == [
        "au-smartraveller",
        "ca-travel",
        "uk-fcdo",
        "us-state",
        "travelpayouts",
    ]
    us = rows["us-state"]
    assert (us["kind"], us["issuer"], us["items_seen"], us["items_changed"]) == (
        "advisories",
        "US",
        69,
        2,
    )
    assert (us["overdue"], us["failing"], us["last_error"]) == (False, False, "")
    uk = rows["uk-fcdo"]
    assert (uk["overdue"], uk["failing"]) == (True, True)
    assert uk["last_error"].startswith("HTTP 503")
    assert rows["au-smartraveller"]["overdue"] is True  # never fetched
    flights = rows["travelpayouts"]
    assert (flights["kind"], flights["enabled"], flights["overdue"]) == (
        "flights",
        False,
        False,  # not configured, so not expected to succeed
    )
    assert set(us) == {
        "kind",
        "key",
        "name",
        "issuer",
        "url",
        "enabled",
        "last_attempt_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "failing",
        "overdue",
        "items_seen",
        "items_changed",
    }


def test_names_follow_the_language(client, sources):
    response = client.get("/api/v1/sources/", HTTP_ACCEPT_LANGUAGE="ru")
    names = {row["key"]: row["name"] for row in response.json()}
    assert names["us-state"] == "Государственный департамент США"
