"""The admin's country filters offer the countries the rows use, not all of ISO 3166."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import (
    AdvisoryFactory,
    AirportFactory,
    CrossingFactory,
    ExitRouteFactory,
    FlightReportFactory,
)
from tests.routes.reports.reporting import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """Rows in Georgia and Kazakhstan (crossings), Turkey (flights), Russia and
    Armenia (advisories, airports)."""
    lars = CrossingFactory(slug="upper-lars", country="GE")
    CrossingFactory(slug="kairak", country="KZ")
    ExitRouteFactory(crossing=lars, destination_country="GE")
    crossing_update_record(
        crossing=lars,
        source_kind="staff",
        status="open",
        source_url="https://example.org/lars",
        observed_at=timezone.now(),
    )
    FlightReportFactory()
    AirportFactory(iata="EVN", icao="UDYZ", country="AM")
    AdvisoryFactory(target_country="RU")
    AdvisoryFactory(target_country="AM")
    ReportFactory(crossing=lars)


def offered(client, url, parameter):
    """The country codes a changelist's filter on `parameter` offers."""
    response = client.get(url)
    assert response.status_code == 200
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == parameter
    )
    pattern = re.compile(rf"[?&]{parameter}(?:__exact)?=([A-Z]{{2}})(?:&|$)")
    return [
        match.group(1)
        for choice in spec.choices(response.context["cl"])
        if (match := pattern.search(choice["query_string"]))
    ]


@pytest.mark.parametrize(
    ("url", "parameter", "expected"),
    [
        ("/admin/routes/bordercrossing/", "country", ["GE", "KZ"]),
        ("/admin/routes/crossingupdate/", "crossing__country", ["GE"]),
        ("/admin/routes/exitroute/", "destination_country", ["GE"]),
        ("/admin/routes/exitroute/", "crossing__country", ["GE"]),
        ("/admin/flights/airport/", "country", ["AM", "RU", "TR"]),
        ("/admin/flights/flightreport/", "destination__country", ["TR"]),
        ("/admin/advisories/advisory/", "target_country", ["AM", "RU"]),
        ("/admin/reports/travellerreport/", "crossing__country", ["GE"]),
    ],
)
def test_a_country_filter_lists_only_countries_in_use(
    world, superuser, url, parameter, expected
):
    client = Client()
    client.force_login(superuser)
    assert sorted(offered(client, url, parameter)) == expected


def test_choosing_a_country_filters_the_list(world, superuser):
    client = Client()
    client.force_login(superuser)
    response = client.get("/admin/routes/bordercrossing/", {"country": "KZ"})
    assert [c.slug for c in response.context["cl"].result_list] == ["kairak"]


def test_the_list_with_facet_counts_still_opens(world, superuser):
    client = Client()
    client.force_login(superuser)
    response = client.get("/admin/routes/bordercrossing/", {"_facets": "True"})
    assert response.status_code == 200
