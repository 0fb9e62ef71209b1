"""Flights in the ways out: the next departure with seats, the cheapest fare
with its age, the destination's rule, and the hours until departure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from routes.entry.services import RuleTerms, entry_rule_record
from routes.waysout.world import world_forget
from tests.factories import AirportFactory, FlightReportFactory, PlaceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/ways-out/"


@pytest.fixture
def moscow(db):
    AirportFactory()  # SVO
    return PlaceFactory(
        slug="moscow",
        name_en="Moscow",
        name_ru="Москва",
        region_code="RU-MOW",
        latitude=55.7558,
        longitude=37.6173,
        airports=["SVO"],
    )


def flights(client, **params) -> list[dict]:
    response = client.get(URL, {"from": "moscow", **params})
    assert response.status_code == 200, response.content
    return [w for w in response.json()["ways"] if w["kind"] == "flight"]


def test_a_route_with_seats_gives_its_next_date_cheapest_fare_and_rule(client, moscow):
    today = timezone.localdate()
    FlightReportFactory(departure_date=today + timedelta(days=3), price=52000)
    FlightReportFactory(departure_date=today + timedelta(days=2), price=61000)
    FlightReportFactory(
        departure_date=today + timedelta(days=1),
        availability="sold_out",
        seats=0,
        price=None,
        currency="",
    )
    entry_rule_record(
        destination="TR",
        valid_from=timezone.now() - timedelta(days=400),
        terms=RuleTerms(
            visa="free", free_days=60, period_days=180, internal_passport_ok=False
        ),
        source_kind="staff",
        source_url="https://example.org/tr",
    )
    (way,) = flights(client)
    assert way["open_to_you"] is True
    assert way["flight"]["origin"] == "SVO" and way["flight"]["destination"] == "IST"
    assert way["flight"]["date"] == (today + timedelta(days=2)).isoformat()
    assert way["fare"]["min_price"] == "52000.00" and way["fare"]["currency"] == "RUB"
    assert way["fare"]["seats"] == 4 and way["fare"]["reports"] == 3
    assert way["fare"]["age_hours"] is not None
    assert way["entry_rule"]["free_days"] == 60
    # The day is known, not the hour: the range spans the departure day.
    estimate = way["estimate"]
    assert estimate["low_hours"] < estimate["hours"] < estimate["high_hours"]
    assert 24 <= estimate["hours"] <= 3 * 24
    # With only an internal passport, Turkey is not open, and says why.
    (internal,) = flights(client, document="internal")
    assert internal["open_to_you"] is False
    assert any(r["code"] == "foreign_passport_needed" for r in internal["reasons"])


def test_a_sold_out_route_is_not_open_and_a_past_moment_sees_only_what_was_known(
    client, moscow
):
    today = timezone.localdate()
    FlightReportFactory(
        departure_date=today + timedelta(days=1),
        availability="sold_out",
        seats=0,
        price=None,
        currency="",
    )
    (way,) = flights(client)
    assert way["open_to_you"] is False
    assert [r["code"] for r in way["reasons"] if r["blocks"]] == ["sold_out"]
    # An hour ago nothing had been reported on it.
    earlier = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%MZ")
    assert flights(client, at=earlier) == []


def test_a_traveller_going_by_land_still_sees_flights_and_a_flyer_no_land_way(
    client, moscow
):
    FlightReportFactory(departure_date=timezone.localdate() + timedelta(days=1))
    assert flights(client, mode="car")
    from tests.factories import CrossingFactory

    CrossingFactory(slug="upper-lars")
    world_forget()  # a crossing added behind the write path shows within the minute
    answer = client.get(URL, {"from": "moscow", "mode": "plane"}).json()
    (land,) = [w for w in answer["ways"] if w["kind"] == "land"]
    assert land["open_to_you"] is False
    assert "not_your_mode" in [r["code"] for r in land["reasons"]]
