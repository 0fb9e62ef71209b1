"""Flight batches a hostile or careless provider sends: dated 1900, an impossible
time zone, JSON nested a thousand deep. A 400 with messages; nothing written."""

import pytest
from django.utils import timezone

from routes.flights.models import FlightReport
from tests.routes.flights.api.test_flights import (  # noqa: F401  (fixtures)
    URL,
    airports,
    provider,
    report,
)

pytestmark = pytest.mark.django_db


def test_a_flight_dated_1900_is_refused(provider, airports):  # noqa: F811
    batch = {
        "reports": [
            report(departure_date="1900-01-02", observed_at="1900-01-01T09:00:00Z")
        ]
    }
    response = provider.post(URL, batch, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["reports"]["0"]
    assert "2000" in errors["departure_date"][0]
    assert "2000" in errors["observed_at"][0]
    assert not FlightReport.objects.exists()


def test_a_departure_in_1900_is_refused_whenever_it_was_seen(provider, airports):  # noqa: F811
    response = provider.post(
        URL, {"reports": [report(departure_date="1900-01-02")]}, format="json"
    )
    assert response.status_code == 400
    assert "2000" in response.json()["reports"]["0"]["departure_date"][0]


def test_an_observation_time_with_an_offset_no_zone_has_is_refused(
    provider,  # noqa: F811
    airports,  # noqa: F811
):
    seen = timezone.now().strftime("%Y-%m-%dT%H:%M:%S") + "-17:51"
    response = provider.post(
        URL, {"reports": [report(observed_at=seen)]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "offset" in response.json()["reports"]["0"]["observed_at"][0]
    assert not FlightReport.objects.exists()


def test_json_nested_a_thousand_deep_is_a_400(provider, airports):  # noqa: F811
    provider.raise_request_exception = False
    deep = '{"reports": ' + "[" * 1000 + "]" * 1000 + "}"
    response = provider.post(URL, deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
