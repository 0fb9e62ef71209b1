"""Cleaning a batch of flight rows: typed values or every bad row's messages,
and nothing written either way."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from routes.flights.models import FlightReport
from routes.flights.validation import FlightRowsInvalid, flight_rows_validate
from tests.factories import flight_airports

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ROW = {
    "origin": " svo ",
    "destination": "IST",
    "departure_date": "2026-03-03",
    "seats": 2.0,
    "price": "45500",
    "currency": "rub",
    "observed_at": "2026-03-01T10:05:00+03:00",
    "source_ref": "r2",
}


def test_clean_rows_come_back_typed_in_order_and_nothing_is_written():
    flight_airports("IST")
    (values,) = flight_rows_validate([ROW], now=NOW)
    assert (values["origin"].iata, values["destination"].iata) == ("SVO", "IST")
    assert values["departure_date"] == date(2026, 3, 3)
    assert (values["seats"], values["price"], values["currency"]) == (
        2,
        Decimal("45500"),
        "RUB",
    )
    assert values["observed_at"] == datetime(2026, 3, 1, 7, 5, tzinfo=UTC)
    assert not FlightReport.objects.exists()


def test_every_bad_row_is_named_with_its_fields_at_once():
    flight_airports("IST")
    rows = [{**ROW, "seats": -1, "source_ref": "r1"}, ROW, {**ROW, "colour": "red"}]
    with pytest.raises(FlightRowsInvalid) as refused:
        flight_rows_validate(rows, now=NOW)
    assert set(refused.value.rows) == {0, 2}
    assert "seats" in refused.value.rows[0]
    assert set(refused.value.rows[2]) == {"colour", "source_ref"}
