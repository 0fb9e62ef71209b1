"""Flight reports through one write path: validated whole, idempotent."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from exitwatch.lib.snapshot import snapshot_version
from routes.flights.models import FlightReport
from routes.flights.services import (
    FlightRowsInvalid,
    flight_report_upsert,
    flight_reports_import,
    flight_reports_import_mixed,
)
from tests.factories import flight_airports

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def airports(db):
    flight_airports("IST", "EVN", "DXB")


def row(**changes):
    values = {
        "origin": "SVO",
        "destination": "IST",
        "departure_date": "2026-03-03",
        "airline": "Aeroflot",
        "flight_number": "SU2130",
        "availability": "few",
        "seats": 2,
        "price": "45500.00",
        "currency": "RUB",
        "observed_at": "2026-03-01T10:05:00+03:00",
        "source_ref": "sheet1-r2",
    }
    values.update(changes)
    return values


def test_rows_become_reports_with_their_source_and_observation_time():
    result = flight_reports_import(source="volunteers", rows=[row()], now=NOW)
    assert (result.created, result.changed) == (1, 1)
    report = FlightReport.objects.get()
    assert (report.origin.iata, report.destination.iata) == ("SVO", "IST")
    assert report.departure_date == date(2026, 3, 3)
    assert (report.availability, report.seats) == ("few", 2)
    assert (report.price, report.currency) == (Decimal("45500.00"), "RUB")
    assert report.observed_at == datetime(2026, 3, 1, 7, 5, tzinfo=UTC)
    assert (report.source, report.source_ref) == ("volunteers", "sheet1-r2")


def test_sold_out_is_a_state_of_its_own_without_seats_or_price():
    result = flight_reports_import(
        source="volunteers",
        rows=[row(availability="sold_out", seats=0, price=None, currency="")],
        now=NOW,
    )
    report = result.reports[0]
    assert (report.availability, report.seats, report.price) == ("sold_out", 0, None)


def test_importing_the_same_rows_again_changes_nothing(
    django_capture_on_commit_callbacks,
):
    rows = [row(), row(destination="EVN", source_ref="sheet1-r3", price="15890")]
    with django_capture_on_commit_callbacks(execute=True):
        flight_reports_import(source="volunteers", rows=rows, now=NOW)
    version = snapshot_version()
    stamps = list(FlightReport.objects.values_list("pk", "updated_at"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = flight_reports_import(source="volunteers", rows=rows, now=NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(FlightReport.objects.values_list("pk", "updated_at")) == stamps
    assert callbacks == [] and snapshot_version() == version


def test_a_new_value_updates_the_report_and_the_map(django_capture_on_commit_callbacks):
    flight_reports_import(source="volunteers", rows=[row()], now=NOW)
    version = snapshot_version()
    with django_capture_on_commit_callbacks(execute=True):
        report, outcome = flight_report_upsert(
            source="volunteers",
            row=row(
                availability="sold_out",
                seats=None,
                observed_at="2026-03-01T11:00:00+03:00",
            ),
            now=NOW,
        )
    assert outcome == "updated"
    assert FlightReport.objects.get().availability == "sold_out"
    assert snapshot_version() != version


def test_the_same_values_seen_later_only_move_observed_at():
    flight_reports_import(source="tp", rows=[row()], now=NOW)
    report, outcome = flight_report_upsert(
        source="tp", row=row(observed_at="2026-03-01T14:00:00+03:00"), now=NOW
    )
    assert outcome == "confirmed"
    assert FlightReport.objects.get().observed_at == datetime(
        2026, 3, 1, 11, 0, tzinfo=UTC
    )


def test_an_older_observation_does_not_overwrite_a_newer_one():
    flight_reports_import(
        source="volunteers",
        rows=[row(observed_at="2026-03-01T11:00:00+03:00")],
        now=NOW,
    )
    _, outcome = flight_report_upsert(
        source="volunteers",
        row=row(price="1", observed_at="2026-03-01T09:00:00+03:00"),
        now=NOW,
    )
    assert outcome == "older"
    assert FlightReport.objects.get().price == Decimal("45500.00")


def test_the_same_source_ref_from_two_sources_is_two_reports():
    flight_reports_import(source="volunteers", rows=[row()], now=NOW)
    flight_reports_import(source="partner-a", rows=[row()], now=NOW)
    assert FlightReport.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"origin": "XXX"}, "origin", "Unknown airport 'XXX' (use its IATA code)."),
        ({"destination": "SVO"}, "destination", "Origin and destination must differ."),
        (
            {"departure_date": "3 March"},
            "departure_date",
            "Enter a date, e.g. 2026-03-01.",
        ),
        (
            {"departure_date": "2026-02-20"},
            "departure_date",
            "The flight left before it was observed.",
        ),
        (
            {"observed_at": "2026-03-01T10:05:00"},
            "observed_at",
            "Add a time zone to the time (Z for UTC, or e.g. +03:00).",
        ),
        (
            {"observed_at": "2026-03-02T10:05:00+03:00"},
            "observed_at",
            "Observation time is in the future.",
        ),
        (
            {"availability": "sold_out", "seats": 3},
            "seats",
            "A sold-out flight cannot have seats.",
        ),
        (
            {"availability": "maybe"},
            "availability",
            "Unknown availability 'maybe'; "
            "use one of: available, few, sold_out, unknown.",
        ),
        ({"seats": 2.5}, "seats", "Seats must be a whole number."),
        ({"seats": -1}, "seats", "Seats must be between 0 and 1000."),
        ({"price": "0"}, "price", "Price must be greater than zero."),
        ({"price": "12.345"}, "price", "Price must have at most two decimal places."),
        ({"price": "cheap"}, "price", "Price must be a number."),
        ({"price": True}, "price", "Price must be a number."),
        ({"currency": ""}, "currency", "A price needs its currency (e.g. RUB, USD)."),
        ({"currency": "RUR"}, "currency", "'RUR' is not an ISO 4217 currency code."),
        ({"price": None}, "price", "A currency was given without a price."),
        ({"source_ref": ""}, "source_ref", "This field is required."),
        ({"flight_number": "SU" * 7}, "flight_number", "At most 12 characters."),
        ({"gate": "B12"}, "gate", "Unknown field."),
        ({"source_url": "not a url"}, "source_url", "Enter a valid URL."),
    ],
)
def test_a_bad_row_is_refused_with_a_field_message(changes, field, message):
    with pytest.raises(FlightRowsInvalid) as caught:
        flight_reports_import(source="volunteers", rows=[row(**changes)], now=NOW)
    assert message in caught.value.rows[0][field]
    assert FlightReport.objects.count() == 0


def test_one_bad_row_means_nothing_is_written():
    rows = [row(), row(source_ref="r3", price="-5"), row(source_ref="r4")]
    with pytest.raises(FlightRowsInvalid) as caught:
        flight_reports_import(source="volunteers", rows=rows, now=NOW)
    assert list(caught.value.rows) == [1]
    assert caught.value.message_dict == {
        "rows[1]": ["price: Price must be greater than zero."]
    }
    assert FlightReport.objects.count() == 0


def test_a_repeated_source_ref_in_one_batch_is_refused():
    with pytest.raises(FlightRowsInvalid) as caught:
        flight_reports_import(source="volunteers", rows=[row(), row()], now=NOW)
    assert caught.value.rows == {
        1: {"source_ref": ["Repeats the source_ref of row 1."]}
    }


@pytest.mark.parametrize(
    ("source", "rows", "message"),
    [
        ("volunteers", [], "There are no rows to import."),
        ("", [row()], "Name the source in 1 to 40 characters."),
        ("volunteers", [row(source_ref=str(i)) for i in range(5001)], "At most 5000"),
    ],
)
def test_a_bad_batch_is_refused_whole(source, rows, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        flight_reports_import(source=source, rows=rows, now=NOW)


def test_rows_that_are_not_objects_are_refused():
    with pytest.raises(FlightRowsInvalid) as caught:
        flight_reports_import(source="api", rows=[["SVO", "IST"]], now=NOW)
    assert caught.value.rows == {0: {"row": ["Each row must be an object of fields."]}}


def test_a_thousand_rows_do_not_cost_a_thousand_queries(django_assert_max_num_queries):
    rows = [
        row(
            source_ref=f"r{i}",
            departure_date=(date(2026, 3, 2) + timedelta(days=i % 30)).isoformat(),
        )
        for i in range(1000)
    ]
    # A handful of queries plus the batched inserts (SQLite batches by 999
    # parameters, PostgreSQL inserts them in one statement).
    with django_assert_max_num_queries(30):
        result = flight_reports_import(source="bulk", rows=rows, now=NOW)
    assert result.created == 1000


def test_a_mixed_batch_is_all_or_nothing_and_names_rows_by_their_place():
    rows = [
        {**row(source_ref="a"), "source": "partner-a"},
        {**row(source_ref="b"), "source": "partner-b"},
        {**row(source_ref="c", price="-1"), "source": "partner-a"},
    ]
    with pytest.raises(FlightRowsInvalid) as exc:
        flight_reports_import_mixed(rows=rows, now=NOW)
    assert list(exc.value.rows) == [2]
    assert "price" in exc.value.rows[2]
    assert FlightReport.objects.count() == 0  # partner-b's good row is not kept

    rows[2]["price"] = "100"
    result = flight_reports_import_mixed(rows=rows, now=NOW)
    assert result.created == 3
    assert sorted(FlightReport.objects.values_list("source", "source_ref")) == [
        ("partner-a", "a"),
        ("partner-a", "c"),
        ("partner-b", "b"),
    ]
