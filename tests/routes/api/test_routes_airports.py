"""GET /api/v1/routes/ and /api/v1/airports/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routes.services import crossing_update_record
from tests.factories import AirportFactory, CrossingFactory, ExitRouteFactory

pytestmark = pytest.mark.django_db


def test_a_route_carries_its_crossings_status(api, crossing):
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="closed", note="Closed at 14:00"
    )
    ExitRouteFactory(slug="moscow-upper-lars-tbilisi", crossing=crossing)
    [route] = api.get("/api/v1/routes/").json()["results"]
    assert (route["slug"], route["crossing"], route["crossing_status"]) == (
        "moscow-upper-lars-tbilisi",
        "upper-lars",
        "closed",
    )
    assert route["path"][0] == [37.6173, 55.7558]
    detail = api.get("/api/v1/routes/moscow-upper-lars-tbilisi/")
    assert detail.json()["destination_country"] == "GE"


def test_routes_as_geojson_are_linestrings(api, crossing):
    ExitRouteFactory(crossing=crossing)
    body = api.get("/api/v1/routes/?format=geojson").json()
    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["geometry"]["type"] == "LineString"
    assert body["features"][0]["properties"]["crossing"] == "upper-lars"


@pytest.mark.parametrize(
    ("query", "count"),
    [("crossing=upper-lars", 1), ("country=GE", 1), ("country=KZ", 0),
     ("destination_country=GE", 1)],
)  # fmt: skip
def test_route_filters(api, crossing, query, count):
    ExitRouteFactory(crossing=crossing)
    response = api.get(f"/api/v1/routes/?{query}")
    assert len(response.json()["results"]) == count


def test_an_unknown_country_is_400(api, db):
    assert "country" in api.get("/api/v1/routes/?country=QQ").json()
    assert "country" in api.get("/api/v1/airports/?country=QQ").json()


def test_airports_are_listed_and_found_by_iata(api, db):
    AirportFactory()
    AirportFactory(iata="IST", country="TR", city_en="Istanbul")
    assert [a["iata"] for a in api.get("/api/v1/airports/").json()["results"]] == [
        "IST",
        "SVO",
    ]
    assert api.get("/api/v1/airports/?country=RU").json()["results"][0]["iata"] == (
        "SVO"
    )
    assert api.get("/api/v1/airports/IST/").json()["city_en"] == "Istanbul"
    assert api.get("/api/v1/airports/XXX/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/routes/", "/api/v1/airports/"])
def test_lists_run_constant_queries(api, db, url):
    def queries(n):
        for i in range(n):
            ExitRouteFactory(crossing=CrossingFactory(slug=f"{n}-{i}"))
            AirportFactory(iata=f"A{chr(65 + n)}{chr(65 + i)}")
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx)

    assert queries(2) == queries(20) == 1
