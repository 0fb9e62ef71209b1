"""Constraints live in the database: bad rows are refused whoever writes them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from routes.flights.models import FlightReport
from routes.models import BorderCrossing
from tests.factories import CrossingFactory, FlightReportFactory

pytestmark = pytest.mark.django_db


def _refused_by_database(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CrossingFactory(**fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"latitude": 90.5},
        {"latitude": -91},
        {"longitude": 180.01},
        {"longitude": -200},
        {"wait_car": 10081},
        {"status": "maybe"},
        {"kind": "tunnel"},
    ],
)
def test_it_refuses_out_of_range_crossing_rows_in_the_database(fields):
    _refused_by_database(**fields)
    assert BorderCrossing.objects.count() == 0


def test_it_refuses_negative_wait_in_the_database():
    # PositiveIntegerField adds its own CHECK; raw SQL proves the database enforces it.
    crossing = CrossingFactory()
    from django.db import connection

    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(
            "UPDATE routes_bordercrossing SET wait_bus = -5 WHERE id = %s",
            [crossing.pk],
        )
    crossing.refresh_from_db()
    assert crossing.wait_bus is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": 95}, "__all__", "Latitude must be between -90 and 90."),
        ({"longitude": 181}, "__all__", "Longitude must be between -180 and 180."),
        ({"status": "maybe"}, "status", "is not a valid choice"),
    ],
)
def test_full_clean_names_the_problem(fields, field, message):
    crossing = CrossingFactory.build(**fields)
    with pytest.raises(ValidationError) as exc:
        crossing.full_clean()
    assert message in " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize(
    "fields",
    [
        {"price": 0},
        {"price": -10},
        {"price": 100, "currency": "XYZ"},
        {"price": 100, "currency": ""},
        {"availability": "plenty"},
        {"availability": "sold_out", "seats": 3},
    ],
)
def test_it_refuses_bad_flight_reports_in_the_database(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        FlightReportFactory(**fields)
    assert FlightReport.objects.count() == 0


def test_flight_from_and_to_the_same_airport_is_refused():
    report = FlightReportFactory.build()
    report.origin.save()
    report.destination = report.origin
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()


def test_flight_reports_are_unique_per_source_and_reference():
    FlightReportFactory(source="volunteers", source_ref="r1")
    with pytest.raises(IntegrityError), transaction.atomic():
        FlightReportFactory(source="volunteers", source_ref="r1")
    FlightReportFactory(source="other-provider", source_ref="r1")
    assert FlightReport.objects.count() == 2


def test_sold_out_flight_without_price_is_a_valid_report():
    report = FlightReportFactory(
        availability="sold_out", seats=0, price=None, currency=""
    )
    report.full_clean()
