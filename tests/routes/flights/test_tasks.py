"""The flight refresh tasks, run in-process."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from routes.flights.models import FlightReport
from routes.flights.tasks import (
    ProviderTemporarilyUnavailable,
    refresh_flight_provider,
    refresh_flights,
)
from tests.datafiles import TRAVELPAYOUTS
from tests.factories import flight_airports
from tests.support.feedserver import Route

pytestmark = pytest.mark.django_db
API_PATH = "/aviasales/v3/prices_for_dates"


@pytest.fixture
def provider_api(settings, feed_server, db):
    flight_airports("IST", "EVN")
    settings.TRAVELPAYOUTS_TOKEN = "test-token"
    # The sample's March 2026 fares, moved to next week so they are still ahead.
    document = json.loads(TRAVELPAYOUTS.read_bytes())
    departure = timezone.localdate() + timedelta(days=7)
    for fare in document["data"]:
        fare["departure_at"] = f"{departure.isoformat()}{fare['departure_at'][10:]}"
    document["data"][1]["departure_at"] = "2020-01-01T10:00:00+03:00"  # long gone
    settings.TRAVELPAYOUTS_URL = feed_server.add(
        API_PATH, Route(json.dumps(document).encode())
    )
    return feed_server


def test_the_periodic_task_refreshes_configured_providers(provider_api, eager_celery):
    assert refresh_flights.apply().get() == ["travelpayouts"]
    # SVO→IST is known; SVO→EVN departed in 2020 and is dropped, not fatal.
    assert list(FlightReport.objects.values_list("destination__iata", "source")) == [
        ("IST", "travelpayouts")
    ]


def test_no_provider_is_run_without_credentials(settings, eager_celery, db):
    settings.TRAVELPAYOUTS_TOKEN = ""
    assert refresh_flights.apply().get() == []


def test_a_provider_that_is_down_is_retried(provider_api, eager_celery):
    provider_api.add(API_PATH, Route(b"", status=502))
    eager_celery.conf.task_eager_propagates = False
    try:
        result = refresh_flight_provider.apply(args=("travelpayouts",))
    finally:
        eager_celery.conf.task_eager_propagates = True
    assert isinstance(result.result, ProviderTemporarilyUnavailable)
    # two months per attempt, four attempts
    assert len(provider_api.hits(API_PATH)) == 8
