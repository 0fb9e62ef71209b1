"""Flights: the list, the per-day summary, and idempotent bulk posts."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from routes.flights.models import FlightImportBatch, FlightReport, FlightSourceGrant
from tests.factories import (
    AirportFactory,
    FlightReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/flights/"
SUMMARY = "/api/v1/flights/summary/"


@pytest.fixture
def airports(db):
    svo = AirportFactory()
    ist = AirportFactory(
        iata="IST", icao="LTFM", name_en="Istanbul", city_en="Istanbul", country="TR"
    )
    ebl = AirportFactory(
        iata="EVN", icao="UDYZ", name_en="Zvartnots", city_en="Yerevan", country="AM"
    )
    return svo, ist, ebl


@pytest.fixture
def week(airports):
    """Moscow → Istanbul and Yerevan over the coming days."""
    svo, ist, evn = airports
    today = timezone.localdate()
    FlightReportFactory(origin=svo, destination=ist, departure_date=today, price=45000)
    FlightReportFactory(
        origin=svo,
        destination=ist,
        departure_date=today,
        price=None,
        currency="",
        availability="sold_out",
        seats=0,
    )
    FlightReportFactory(
        origin=svo,
        destination=evn,
        departure_date=today + timedelta(days=1),
        price=90000,
    )
    FlightReportFactory(
        origin=svo,
        destination=ist,
        departure_date=today + timedelta(days=2),
        price=Decimal("600"),
        currency="USD",
        availability="few",
        seats=2,
    )
    FlightReportFactory(
        origin=svo, destination=ist, departure_date=today - timedelta(days=3), price=1
    )
    return today


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_list_shows_reports_by_departure(api, week):
    result = rows(api.get(URL))
    assert [(r["destination"], r["price"]) for r in result] == [
        ("IST", "1.00"),
        ("IST", "45000.00"),
        ("IST", None),
        ("EVN", "90000.00"),
        ("IST", "600.00"),
    ]
    assert result[1]["destination_country"] == "TR"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"destination": "EVN"}, ["90000.00"]),
        ({"destination_country": "am"}, ["90000.00"]),
        ({"origin": "SVO", "max_price": "50000"}, ["1.00", "45000.00", "600.00"]),
        ({"has_seats": "false"}, [None]),
        ({"currency": "USD"}, ["600.00"]),
    ],
)
def test_filters(api, week, query, expected):
    assert [r["price"] for r in rows(api.get(URL, query))] == expected


def test_a_date_range_selects_departures(api, week):
    query = {
        "departure_after": week.isoformat(),
        "departure_before": (week + timedelta(days=1)).isoformat(),
    }
    assert len(rows(api.get(URL, query))) == 3


def test_ordering_by_price_puts_unpriced_last_both_ways(api, week):
    up = [r["price"] for r in rows(api.get(URL, {"ordering": "price"}))]
    down = [r["price"] for r in rows(api.get(URL, {"ordering": "-price"}))]
    assert up == ["1.00", "600.00", "45000.00", "90000.00", None]
    assert down == ["90000.00", "45000.00", "600.00", "1.00", None]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"max_price": "-5"}, "max_price"),
        ({"max_price": "cheap"}, "max_price"),
        ({"departure_after": "tomorrow"}, "departure_after"),
        ({"departure_before": "2026-02-30"}, "departure_before"),
        ({"origin": "XXX"}, "origin"),
        ({"destination_country": "ZZ"}, "destination_country"),
        ({"currency": "BTC"}, "currency"),
        ({"has_seats": "perhaps"}, "has_seats"),
        ({"ordering": "airline"}, "ordering"),
    ],
)
def test_bad_parameters_are_400(api, week, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()
    response = api.get(SUMMARY, query)
    assert response.status_code == 400


def test_flights_export_as_csv(api, week):
    response = api.get(URL, {"format": "csv", "destination": "EVN"})
    [row] = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert (row["origin"], row["destination"], row["price"]) == (
        "SVO",
        "EVN",
        "90000.00",
    )


def test_the_summary_has_one_row_per_route_day_and_currency(api, week):
    result = rows(api.get(SUMMARY))
    today = week.isoformat()
    assert [
        (r["departure_date"], r["destination"], r["currency"], r["min_price"])
        for r in result
    ] == [
        (today, "IST", "", None),
        (today, "IST", "RUB", "45000.00"),
        ((week + timedelta(days=1)).isoformat(), "EVN", "RUB", "90000.00"),
        ((week + timedelta(days=2)).isoformat(), "IST", "USD", "600.00"),
    ]
    sold_out, rub = result[0], result[1]
    assert (sold_out["any_seats"], sold_out["reports"]) == (False, 1)
    assert (rub["any_seats"], rub["seats_seen"], rub["origin"]) == (True, 4, "SVO")
    assert result[3]["destination_country"] == "TR"
    assert result[0]["last_observed_at"].endswith("Z")


def test_the_summary_can_look_back(api, week):
    query = {"departure_after": (week - timedelta(days=7)).isoformat()}
    assert rows(api.get(SUMMARY, query))[0]["min_price"] == "1.00"


def test_summary_pages_follow_each_other(api, week):
    seen, url = [], SUMMARY + "?page_size=3"
    while url:
        body = api.get(url).json()
        seen += body["results"]
        url = body["next"]
    assert len(seen) == 4


@pytest.mark.parametrize("url", [URL, SUMMARY])
def test_flight_lists_run_constant_queries(api, airports, url):
    svo, ist, _ = airports

    def queries(n):
        for day in range(n):
            FlightReportFactory(
                origin=svo,
                destination=AirportFactory(
                    iata=f"Q{chr(65 + n)}{chr(65 + day)}", country="TR"
                ),
                departure_date=timezone.localdate() + timedelta(days=day),
            )
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url, {"page_size": 500}).status_code == 200
        return len(ctx)

    assert queries(2) == queries(20) <= 2


# --- POST /api/v1/flights/ ---------------------------------------------------------


def partner(username, *sources, **user_fields):
    """A token of an account allowed to post flights, granted `sources`."""
    user = UserFactory(username=username, **user_fields)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_flightreport", "change_flightreport"]
        )
    )
    for source in sources:
        FlightSourceGrant.objects.create(account=user, source=source)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    client.user = user
    return client


@pytest.fixture
def provider(db):
    return partner("provider", "aviasales")


def report(**changes):
    base = {
        "origin": "SVO",
        "destination": "IST",
        "departure_date": timezone.localdate().isoformat(),
        "airline": "Turkish Airlines",
        "flight_number": "TK414",
        "availability": "available",
        "seats": 5,
        "price": "45000.00",
        "currency": "RUB",
        "observed_at": timezone.now().isoformat(),
        "source": "aviasales",
        "source_ref": "TK414-1",
    }
    return {**base, **changes}


def test_posting_a_batch_twice_changes_nothing_the_second_time(
    provider, airports, django_capture_on_commit_callbacks
):
    batch = {"reports": [report(), report(source_ref="TK414-2", price="52000")]}
    with django_capture_on_commit_callbacks(execute=True):
        first = provider.post(URL, batch, format="json")
    assert first.status_code == 200, first.content
    assert first.json() == {
        "created": 2,
        "updated": 0,
        "confirmed": 0,
        "unchanged": 0,
        "ignored_older": 0,
    }
    again = provider.post(URL, batch, format="json")
    assert again.json() == {
        "created": 0,
        "updated": 0,
        "confirmed": 0,
        "unchanged": 2,
        "ignored_older": 0,
    }
    assert FlightReport.objects.count() == 2


def test_a_newer_observation_updates_and_an_older_one_is_ignored(provider, airports):
    now = timezone.now()
    provider.post(
        URL, {"reports": [report(observed_at=now.isoformat())]}, format="json"
    )
    newer = report(
        observed_at=(now + timedelta(minutes=1)).isoformat(),
        availability="sold_out",
        seats=0,
        price=None,
        currency="",
    )
    assert (
        provider.post(URL, {"reports": [newer]}, format="json").json()["updated"] == 1
    )
    older = report(observed_at=(now - timedelta(hours=1)).isoformat(), price="1")
    result = provider.post(URL, {"reports": [older]}, format="json").json()
    assert result["ignored_older"] == 1
    stored = FlightReport.objects.get()
    assert (stored.availability, stored.price) == ("sold_out", None)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"price": "-10"}, "price"),
        ({"price": "0"}, "price"),
        ({"origin": "XXX"}, "origin"),
        ({"origin": "svo"}, "origin"),
        ({"destination": "SVO"}, "destination"),
        ({"currency": ""}, "currency"),
        ({"currency": "BTC"}, "currency"),
        ({"availability": "sold_out", "seats": 3}, "seats"),
        ({"departure_date": "2026-02-30"}, "departure_date"),
        ({"observed_at": "2999-01-01T00:00:00Z"}, "observed_at"),
        ({"observed_at": "2026-11-20T10:00:00"}, "observed_at"),
        ({"source_ref": ""}, "source_ref"),
    ],
)
def test_one_bad_report_rejects_the_whole_batch(provider, airports, bad, field):
    batch = {"reports": [report(source_ref="good"), report(**bad)]}
    response = provider.post(URL, batch, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["reports"]
    assert list(errors) == ["1"]
    assert field in errors["1"]
    assert not FlightReport.objects.exists()


def test_a_batch_repeating_a_ref_is_refused(provider, airports):
    response = provider.post(URL, {"reports": [report(), report()]}, format="json")
    assert response.status_code == 400
    assert "source_ref" in response.json()["reports"]["1"]


@pytest.mark.parametrize("body", [{}, {"reports": []}, {"reports": "lots"}, []])
def test_a_malformed_batch_is_400(provider, airports, body):
    assert provider.post(URL, body, format="json").status_code == 400


def test_anonymous_and_unprivileged_clients_cannot_post(api, airports):
    assert api.post(URL, {"reports": [report()]}, format="json").status_code == 401
    reader = APIClient()
    reader.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory())}"
    )
    assert reader.post(URL, {"reports": [report()]}, format="json").status_code == 403
    assert not FlightReport.objects.exists()


def test_a_batch_runs_constant_queries(provider, airports):
    def queries(n):
        batch = {"reports": [report(source_ref=f"{n}-{i}") for i in range(n)]}
        with CaptureQueriesContext(connection) as ctx:
            assert provider.post(URL, batch, format="json").status_code == 200
        return len(ctx)

    assert queries(2) == queries(50)


# --- Who may write which source ------------------------------------------------------


def test_a_partner_cannot_overwrite_another_sources_rows(airports):
    theirs = FlightReportFactory(source="aviasales", source_ref="TK414-1")
    before = FlightReport.objects.values().get()
    intruder = partner("partner_b", "partner-b")
    response = intruder.post(
        URL,
        {
            "reports": [
                report(
                    availability="sold_out",
                    seats=0,
                    price=None,
                    currency="",
                    source_url="https://elsewhere.example/",
                )
            ]
        },
        format="json",
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["refused_sources"] == ["aviasales"]
    assert "aviasales" in body["detail"] and "Nothing was written" in body["detail"]
    assert FlightReport.objects.values().get(pk=theirs.pk) == before
    assert not FlightImportBatch.objects.exists()


def test_one_refused_source_refuses_the_whole_batch(airports):
    client = partner("partner_b", "partner-b")
    batch = {
        "reports": [
            report(source="partner-b", source_ref="mine"),
            report(source="volunteers", source_ref="theirs"),
        ]
    }
    response = client.post(URL, batch, format="json")
    assert response.status_code == 403
    assert response.json()["refused_sources"] == ["volunteers"]
    assert not FlightReport.objects.exists()


def test_a_superuser_token_too_writes_only_granted_sources(airports):
    boss = partner("boss", is_superuser=True, is_staff=True)
    response = boss.post(URL, {"reports": [report()]}, format="json")
    assert response.status_code == 403
    assert not FlightReport.objects.exists()


def test_each_batch_records_the_account_and_time_that_wrote_it(airports):
    client = partner("partner_b", "partner-b", "partner-b-charter")
    batch = {
        "reports": [
            report(source="partner-b", source_ref="one"),
            report(source="partner-b", source_ref="two"),
            report(source="partner-b-charter", source_ref="one"),
        ]
    }
    started = timezone.now()
    assert client.post(URL, batch, format="json").status_code == 200
    batches = {b.source: b for b in FlightImportBatch.objects.all()}
    assert set(batches) == {"partner-b", "partner-b-charter"}
    written = batches["partner-b"]
    assert (written.via, written.account, written.actor_label) == (
        "api",
        client.user,
        "partner_b",
    )
    assert (written.rows, written.created) == (2, 2)
    assert written.received_at >= started
    assert set(
        FlightReport.objects.filter(source="partner-b").values_list("batch", flat=True)
    ) == {written.pk}
    # Sending the same rows again writes nothing, so records no batch.
    assert client.post(URL, batch, format="json").status_code == 200
    assert FlightImportBatch.objects.count() == 2


def test_staff_grant_a_source_in_the_admin(airports, superuser):
    account = UserFactory(username="partner_c")
    admin = APIClient()
    admin.force_login(superuser)
    response = admin.post(
        "/admin/flights/flightsourcegrant/add/",
        {"account": account.pk, "source": "partner-c"},
    )
    assert response.status_code == 302, response.content
    assert FlightSourceGrant.objects.filter(
        account=account, source="partner-c"
    ).exists()
    assert admin.get("/admin/flights/flightimportbatch/").status_code == 200
