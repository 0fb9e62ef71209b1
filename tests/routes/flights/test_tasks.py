"""The flight refresh tasks, run in-process."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from routes.flights.models import FlightImportBatch, FlightProvider, FlightReport
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
    batch = FlightImportBatch.objects.get()
    assert (batch.source, batch.via, batch.account, batch.actor_label) == (
        "travelpayouts",
        "provider",
        None,
        "travelpayouts",
    )
    assert FlightReport.objects.get().batch == batch


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


def test_a_refresh_past_its_soft_time_limit_is_recorded_on_the_provider(
    provider_api, eager_celery, monkeypatch, settings
):
    from celery.exceptions import SoftTimeLimitExceeded

    from routes.flights.sources.travelpayouts import TravelpayoutsProvider

    def too_slow(self, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(TravelpayoutsProvider, "fetch_rows", too_slow)
    before = timezone.now()
    result = refresh_flight_provider.apply(args=("travelpayouts",)).get()
    limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    message = f"gave up: the refresh took longer than {limit} s"
    assert result == {"provider": "travelpayouts", "status": "failed", "error": message}
    health = FlightProvider.objects.get(key="travelpayouts")
    assert health.last_error == message
    assert health.last_error_at >= before and health.is_failing
    assert FlightReport.objects.count() == 0


def test_a_task_abandoned_after_its_worker_died_says_so_on_the_provider(
    provider_api, eager_celery
):
    refresh_flights.apply().get()
    refresh_flight_provider.on_gave_up(
        "gave up after 3 deliveries", ("travelpayouts",), {}
    )
    health = FlightProvider.objects.get(key="travelpayouts")
    assert health.last_error == "gave up after 3 deliveries" and health.is_failing
