"""The Travelpayouts (Aviasales Data API) adapter, on a sample constructed from the
provider's documented format (see tests/data/README.md)."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from routes.flights.models import FlightProvider, FlightReport
from routes.flights.refresh import flight_provider_refresh, flights_refresh
from routes.flights.sources.providers import FlightFeedError
from routes.flights.sources.travelpayouts import (
    TravelpayoutsProvider,
    months_ahead,
    parse,
)
from tests.datafiles import TRAVELPAYOUTS
from tests.factories import flight_airports
from tests.support.feedserver import Route

RAW = TRAVELPAYOUTS.read_bytes()
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
API_PATH = "/aviasales/v3/prices_for_dates"


@pytest.fixture
def airports(db):
    flight_airports("IST", "EVN", "DXB", "BEG")


@pytest.fixture
def provider_api(settings, feed_server, airports):
    settings.TRAVELPAYOUTS_TOKEN = "test-token"
    settings.TRAVELPAYOUTS_URL = feed_server.add(API_PATH, Route(RAW))
    return feed_server


def test_direct_fares_become_rows_and_connections_are_left_out():
    rows, skipped = parse(RAW, observed_at=NOW)
    assert [(r["origin"], r["destination"]) for r in rows] == [
        ("SVO", "IST"),
        ("SVO", "EVN"),
        ("SVO", "DXB"),
        ("SVO", "BEG"),
        ("SVO", "AYT"),
    ]
    assert skipped == ["SVO→TBS fare 4: 1 connections, not a single flight"]
    istanbul = rows[0]
    assert istanbul == {
        "origin": "SVO",
        "destination": "IST",
        "departure_date": "2026-03-03",
        "airline": "SU",
        "flight_number": "SU2130",
        "availability": "available",
        "seats": None,
        "price": Decimal("21450"),
        "currency": "RUB",
        "observed_at": NOW,
        "source_ref": "SVO-IST-20260303T0910+0300-SU2130",
        "source_url": istanbul["source_url"],
    }
    assert istanbul["source_url"].startswith(
        "https://www.aviasales.ru/search/MOW0303IST1"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty response"),
        (b"<html>502</html>", "not valid JSON"),
        (b"[]", "expected an object, found list"),
        (
            json.dumps(
                {"success": False, "error": "Unauthorized", "data": None}
            ).encode(),
            "refused the request: Unauthorized",
        ),
        (json.dumps({"success": True, "data": {"SVO": []}}).encode(), "data is dict"),
    ],
)
def test_answers_not_in_the_documented_format_raise(raw, message):
    with pytest.raises(FlightFeedError, match=message):
        parse(raw, observed_at=NOW)


def test_odd_fares_are_skipped_one_by_one():
    document = json.loads(RAW)
    document["data"][0]["price"] = "free"
    document["data"][1]["departure_at"] = "2026-03-04"
    document["data"][2] = "SVO-DXB"
    rows, skipped = parse(json.dumps(document).encode(), observed_at=NOW)
    assert len(rows) == 2
    assert skipped[:3] == [
        "SVO→IST fare 0: price 'free'",
        "SVO→EVN fare 1: departure_at '2026-03-04'",
        "fare 2: not an object",
    ]


def test_months_ahead_wraps_the_year():
    assert months_ahead(datetime(2026, 12, 30).date()) == ["2026-12", "2027-01"]


def test_without_a_token_the_provider_is_off(db, settings, feed_server):
    settings.TRAVELPAYOUTS_TOKEN = ""
    (outcome,) = flights_refresh(run_id="test")
    assert outcome.status == "off"
    assert FlightProvider.objects.get(key="travelpayouts").enabled is False
    assert feed_server.requests == []


def test_a_refresh_imports_known_routes_and_records_health(provider_api):
    outcome = flight_provider_refresh(
        provider=TravelpayoutsProvider(), run_id="test", now=NOW
    )
    # Two months asked for, the same fares in each answer: deduplicated.
    hits = provider_api.hits(API_PATH)
    assert len(hits) == 2
    assert hits[0].headers["X-Access-Token"] == "test-token"
    assert "token" not in hits[0].path
    assert "origin=SVO" in hits[0].path and "direct=true" in hits[0].path
    assert (outcome.status, outcome.seen, outcome.imported.created) == ("ok", 4, 4)
    assert sorted(FlightReport.objects.values_list("destination__iata", flat=True)) == [
        "BEG",
        "DXB",
        "EVN",
        "IST",
    ]
    health = FlightProvider.objects.get(key="travelpayouts")
    assert (health.enabled, health.items_seen, health.items_changed) == (True, 4, 4)
    assert health.last_success_at == NOW and not health.is_failing
    again = flight_provider_refresh(
        provider=TravelpayoutsProvider(), run_id="test", now=NOW
    )
    assert (again.imported.created, again.imported.unchanged) == (0, 4)


def test_a_provider_that_fails_everywhere_keeps_its_reports(provider_api):
    flight_provider_refresh(provider=TravelpayoutsProvider(), run_id="test", now=NOW)
    provider_api.add(API_PATH, Route(b"", status=503))
    outcome = flight_provider_refresh(
        provider=TravelpayoutsProvider(), run_id="test", now=NOW + timedelta(minutes=15)
    )
    assert (outcome.status, outcome.transient) == ("failed", True)
    assert FlightReport.objects.count() == 4
    health = FlightProvider.objects.get(key="travelpayouts")
    assert health.is_failing and "HTTP 503" in health.last_error
