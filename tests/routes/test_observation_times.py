"""Every door that takes an observation refuses a bad time in the same words:
the admin and API write path for crossings, traveller reports (form and API) and
flight reports (spreadsheets, providers and the bulk API)."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from routes.flights.services import FlightRowsInvalid, flight_reports_import
from routes.reports.services import report_validate
from routes.services import crossing_update_record
from tests.factories import AirportFactory
from tests.routes.reports.reporting import payload, post_report

pytestmark = pytest.mark.django_db

NAIVE = "Add a time zone to the time (Z for UTC, or e.g. +03:00)."
FUTURE = "Observation time is in the future."
UNREADABLE = (
    "Give a date and time in ISO 8601 with a time zone, e.g. 2022-09-25T08:00:00Z."
)


def crossing_problem(crossing, observed_at):
    with pytest.raises(ValidationError) as refused:
        crossing_update_record(
            crossing=crossing, source_kind="staff", observed_at=observed_at
        )
    return refused.value.message_dict["observed_at"]


def report_problem(observed_at):
    errors = report_validate(
        direction="leaving",
        mode="car",
        status_seen="open",
        wait_minutes=60,
        queue_position=None,
        observed_at=observed_at,
        note="",
        language="en",
    )
    return errors["observed_at"]


def flight_problem(observed_at):
    AirportFactory()
    AirportFactory(iata="IST", icao="LTFM", country="TR")
    row = {
        "origin": "SVO",
        "destination": "IST",
        "departure_date": timezone.localdate().isoformat(),
        "observed_at": observed_at,
        "source_ref": "r1",
    }
    with pytest.raises(FlightRowsInvalid) as refused:
        flight_reports_import(source="volunteers", rows=[row])
    return refused.value.rows[0]["observed_at"]


def test_a_future_time_reads_the_same_for_crossings_reports_and_flights(crossing):
    later = timezone.now() + timedelta(hours=1)
    assert crossing_problem(crossing, later) == [FUTURE]
    assert report_problem(later) == [FUTURE]
    assert flight_problem(later.isoformat()) == [FUTURE]


def test_a_time_without_a_zone_reads_the_same_at_every_door(crossing, client):
    naive = datetime(2026, 3, 1, 14, 30)
    assert crossing_problem(crossing, naive) == [NAIVE]
    assert report_problem(naive) == [NAIVE]
    assert flight_problem("2026-03-01T14:30:00") == [NAIVE]
    response = post_report(client, payload(observed_at="2026-03-01T14:30:00"))
    assert response.json()["observed_at"] == [NAIVE]


def test_an_unreadable_time_reads_the_same_in_a_spreadsheet_and_the_api(
    crossing, client
):
    assert flight_problem("yesterday") == [UNREADABLE]
    response = post_report(client, payload(observed_at="yesterday"))
    assert response.json()["observed_at"] == [UNREADABLE]
