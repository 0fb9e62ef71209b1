"""GET /api/v1/map/: one cached document, conditional GET, edits visible at once."""

import gzip
import json
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import RedisError

from exitwatch.lib.snapshot import VERSION_KEY
from routes.mapdoc.snapshot import BUILD_LOCK_KEY, snapshot_forget_local
from routes.services import crossing_update_record
from tests.factories import (
    AdvisoryFactory,
    AdvisorySourceFactory,
    AirportFactory,
    CrossingFactory,
    ExitRouteFactory,
    FlightReportFactory,
)
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/"

CROSSING_KEYS = {
    "slug", "name_en", "name_ru", "neighbour_name_en", "neighbour_name_ru",
    "country", "country_name_en", "country_name_ru", "region_en", "region_ru",
    "kind", "modes", "status", "waits", "wait_basis", "queue_length", "restrictions_en",
    "restrictions_ru", "hours", "note", "last_observed_at", "last_source_kind",
    "stale", "stale_after_minutes", "url",
}  # fmt: skip
ROUTE_KEYS = {
    "slug", "name_en", "name_ru", "crossing", "status", "stale",
    "destination_country", "distance_km",
}  # fmt: skip
ADVISORY_KEYS = {
    "source", "issuer", "source_name_en", "source_name_ru", "target_country",
    "level", "level_text", "title", "url", "published_at",
}  # fmt: skip
FLIGHT_KEYS = {
    "origin", "origin_city_en", "origin_city_ru", "destination",
    "destination_city_en", "destination_city_ru", "destination_country",
    "min_price", "currency", "any_seats", "sold_out", "reports",
    "last_observed_at", "next_departure_date",
}  # fmt: skip


def fetch(client, **headers):
    response = client.get(URL, headers=headers)
    assert response.status_code == 200, response.content
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, json.loads(body)


@pytest.fixture
def upper_lars(crossing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        crossing_update_record(
            crossing=crossing,
            source_kind="official",
            status="restricted",
            waits={"car": 1440, "truck": 3000},
            queue_length=3500,
            note="Queue past Kazbegi",
        )
    return crossing


def test_the_document_follows_the_contract(upper_lars):
    ExitRouteFactory(slug="moscow-upper-lars-tbilisi", crossing=upper_lars)
    AdvisoryFactory()
    FlightReportFactory(price=Decimal("45000"), seats=3)

    _, doc = fetch(client=pytest.importorskip("django.test").Client())

    assert set(doc) >= {
        "version", "generated_at", "crossings", "routes", "advisories", "flights"
    }  # fmt: skip
    [feature] = doc["crossings"]["features"]
    assert doc["crossings"]["type"] == "FeatureCollection"
    assert feature["id"] == "upper-lars"
    assert feature["geometry"] == {"type": "Point", "coordinates": [44.631, 42.7417]}
    props = feature["properties"]
    assert set(props) >= CROSSING_KEYS
    assert props["status"] == "restricted"
    assert props["waits"] == {
        "car": 1440,
        "bus": None,
        "truck": 3000,
        "pedestrian": None,
    }
    assert props["queue_length"] == 3500
    assert props["country_name_en"] == "Georgia"
    assert props["country_name_ru"] == "Грузия"
    assert props["modes"] == ["car", "bus"]
    assert props["last_source_kind"] == "official"
    assert props["stale"] is False
    assert props["last_observed_at"].endswith("Z")

    [route] = doc["routes"]["features"]
    assert route["geometry"]["type"] == "LineString"
    assert set(route["properties"]) >= ROUTE_KEYS
    assert route["properties"]["status"] == "restricted"
    assert route["properties"]["crossing"] == "upper-lars"

    [advisory] = doc["advisories"]
    assert set(advisory) >= ADVISORY_KEYS
    assert (advisory["issuer"], advisory["level"]) == ("US", 4)

    [flight] = doc["flights"]
    assert set(flight) >= FLIGHT_KEYS
    assert (flight["origin"], flight["destination"]) == ("SVO", "IST")
    assert (flight["min_price"], flight["currency"]) == ("45000.00", "RUB")
    assert flight["any_seats"] is True
    assert flight["sold_out"] is False


def test_a_crossing_never_reported_is_stale_and_unknown(client, crossing):
    _, doc = fetch(client)
    props = doc["crossings"]["features"][0]["properties"]
    assert (props["status"], props["stale"], props["last_observed_at"]) == (
        "unknown",
        True,
        None,
    )


def test_a_report_older_than_the_threshold_is_stale(
    client, crossing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status="open",
            note="Checked by phone",
            observed_at=timezone.now() - timedelta(minutes=361),
        )
    _, doc = fetch(client)
    assert doc["crossings"]["features"][0]["properties"]["stale"] is True


def test_only_the_newest_advisory_per_government_about_russia_is_shown(client):
    now = timezone.now()
    us = AdvisorySourceFactory()
    uk = AdvisorySourceFactory(
        key="uk-fcdo", name_en="UK FCDO", name_ru="МИД Великобритании", issuer="GB"
    )
    AdvisoryFactory(source=uk, level=3, published_at=now)
    AdvisoryFactory(source=us, level=4, published_at=now)
    AdvisoryFactory(source=us, target_country="GE", level=2)
    # A second feed of the same government: the newer publication wins.
    us_alerts = AdvisorySourceFactory(key="us-alerts", issuer="US")
    AdvisoryFactory(source=us_alerts, level=3, published_at=now - timedelta(days=9))

    _, doc = fetch(client)

    assert [(a["issuer"], a["level"], a["source"]) for a in doc["advisories"]] == [
        ("GB", 3, "uk-fcdo"),
        ("US", 4, "us-state"),
    ]


def test_flights_summarise_the_next_week_per_route_and_currency(client):
    today = timezone.localdate()
    FlightReportFactory(price=Decimal("52000"), departure_date=today)
    FlightReportFactory(price=Decimal("45000.5"), departure_date=today)
    FlightReportFactory(
        price=None, currency="", availability="sold_out", seats=0, departure_date=today
    )
    FlightReportFactory(price=Decimal("600"), currency="USD")
    FlightReportFactory(price=Decimal("1"), departure_date=today + timedelta(days=7))
    FlightReportFactory(price=Decimal("1"), departure_date=today - timedelta(days=1))

    _, doc = fetch(client)

    [flight] = doc["flights"]
    assert (flight["min_price"], flight["currency"]) == ("45000.50", "RUB")
    assert flight["prices"] == [
        {"currency": "RUB", "min_price": "45000.50"},
        {"currency": "USD", "min_price": "600.00"},
    ]
    assert flight["reports"] == 4
    assert flight["next_departure_date"] == today.isoformat()
    assert flight["any_seats"] is True
    assert flight["sold_out"] is False


def test_a_route_with_only_sold_out_reports_is_sold_out(client):
    FlightReportFactory(price=None, currency="", availability="sold_out", seats=None)
    _, doc = fetch(client)
    [flight] = doc["flights"]
    assert (flight["any_seats"], flight["sold_out"], flight["min_price"]) == (
        False,
        True,
        None,
    )


def test_headers_make_it_cacheable_by_browsers_and_proxies(client, crossing):
    response, _ = fetch(client, accept_encoding="gzip, deflate, br")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=15, stale-while-revalidate=60"
    assert response["Vary"] == "Accept-Encoding"
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert int(response["Content-Length"]) == len(response.content)
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("accept", ["", "identity", "gzip;q=0, identity", "br"])
def test_a_client_refusing_gzip_gets_plain_json(client, crossing, accept):
    response, doc = fetch(client, accept_encoding=accept)
    assert "Content-Encoding" not in response
    assert doc["crossings"]["features"][0]["id"] == "upper-lars"


def test_the_same_document_has_distinct_strong_etags_per_coding(client, crossing):
    zipped, zipped_doc = fetch(client, accept_encoding="gzip")
    plain, plain_doc = fetch(client)
    assert zipped_doc == plain_doc
    assert zipped["ETag"] != plain["ETag"]
    assert not zipped["ETag"].startswith("W/")


def test_if_none_match_with_the_current_etag_gives_304(client, crossing):
    first, _ = fetch(client, accept_encoding="gzip")
    again = client.get(
        URL, headers={"accept_encoding": "gzip", "if_none_match": first["ETag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_an_update_through_the_write_path_changes_version_etag_and_content(
    client, crossing, django_capture_on_commit_callbacks
):
    first, before = fetch(client, accept_encoding="gzip")
    with django_capture_on_commit_callbacks(execute=True):
        crossing_update_record(
            crossing=crossing, source_kind="partner", status="closed", note="Shut"
        )
    stale_etag = client.get(
        URL, headers={"accept_encoding": "gzip", "if_none_match": first["ETag"]}
    )
    assert stale_etag.status_code == 200
    after = json.loads(gzip.decompress(stale_etag.content))
    assert after["version"] != before["version"]
    assert after["crossings"]["features"][0]["properties"]["status"] == "closed"


def test_a_warm_request_runs_no_sql(client, crossing, django_assert_num_queries):
    ExitRouteFactory(crossing=crossing)
    AdvisoryFactory()
    FlightReportFactory()
    fetch(client)
    with django_assert_num_queries(0):
        fetch(client, accept_encoding="gzip")
        fetch(client)
    # Another web process: its memory is empty, the shared cache is warm.
    snapshot_forget_local()
    with django_assert_num_queries(0):
        fetch(client)


@pytest.mark.parametrize("rows", [2, 20])
def test_a_cold_build_runs_four_queries_whatever_the_rows(
    client, rows, django_assert_num_queries
):
    source = AdvisorySourceFactory()
    for n in range(rows):
        crossing = CrossingFactory(country=["GE", "KZ", "FI", "MN"][n % 4])
        ExitRouteFactory(crossing=crossing)
        AdvisoryFactory(source=AdvisorySourceFactory(key=f"feed-{n}"), level=n % 4 + 1)
        FlightReportFactory(
            destination=AirportFactory(iata=f"X{chr(65 + n)}A", country="TR"),
            price=1000 + n,
        )
    assert source.pk
    with django_assert_num_queries(4):
        _, doc = fetch(client)
    assert len(doc["crossings"]["features"]) == rows
    assert len(doc["routes"]["features"]) == rows
    assert len(doc["flights"]) == rows


def test_head_is_answered_and_writes_are_refused(client, crossing):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def admin_form_data(response):
    """The admin change form as a browser would submit it unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, bound in ((name, form[name]) for name in form.fields):
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def test_an_admin_edit_shows_in_the_next_request(
    client, editor, crossing, django_capture_on_commit_callbacks
):
    _, before = fetch(client)
    assert before["crossings"]["features"][0]["properties"]["status"] == "unknown"

    client.force_login(editor)
    change_url = reverse("admin:routes_bordercrossing_change", args=[crossing.pk])
    data = admin_form_data(client.get(change_url))
    data.update(
        status="closed",
        update_side="both",
        wait_car="600",
        update_note="Closed by order",
    )
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(change_url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    client.logout()

    _, after = fetch(client)
    props = after["crossings"]["features"][0]["properties"]
    assert (props["status"], props["waits"]["car"], props["note"]) == (
        "closed",
        600,
        "Closed by order",
    )
    assert props["last_source_kind"] == "staff"


def test_an_admin_edit_of_a_route_shows_in_the_next_request(
    client, superuser, crossing, django_capture_on_commit_callbacks
):
    route = ExitRouteFactory(crossing=crossing, name_en="Old name")
    fetch(client)
    client.force_login(superuser)
    change_url = reverse("admin:routes_exitroute_change", args=[route.pk])
    data = admin_form_data(client.get(change_url))
    data.update(name_en="Moscow → Upper Lars → Tbilisi", path=json.dumps(route.path))
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(change_url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    client.logout()
    _, doc = fetch(client)
    assert doc["routes"]["features"][0]["properties"]["name_en"] == (
        "Moscow → Upper Lars → Tbilisi"
    )


WINDOW_MS = 1000


class TestRecheckWindow:
    """Production trusts its copy of the version for MAP_SNAPSHOT_RECHECK_MS."""

    @pytest.fixture(autouse=True)
    def window(self, settings):
        # Long enough that a loaded machine still makes the next request inside it;
        # the test that waits for it to pass waits no longer than it must.
        settings.MAP_SNAPSHOT_RECHECK_MS = WINDOW_MS
        snapshot_forget_local()
        yield
        snapshot_forget_local()

    def test_within_the_window_a_warm_request_reads_not_even_the_cache(
        self, client, crossing, django_assert_num_queries
    ):
        fetch(client)
        with (
            mock.patch("routes.mapdoc.snapshot.snapshot_version") as version,
            django_assert_num_queries(0),
        ):
            fetch(client)
        version.assert_not_called()

    def test_this_processs_own_write_shows_at_once(
        self, client, crossing, django_capture_on_commit_callbacks
    ):
        fetch(client)
        with django_capture_on_commit_callbacks(execute=True):
            crossing_update_record(
                crossing=crossing, source_kind="staff", status="closed", note="Shut"
            )
        _, doc = fetch(client)
        assert doc["crossings"]["features"][0]["properties"]["status"] == "closed"

    def test_another_processs_write_shows_once_the_window_passes(
        self, client, crossing, django_capture_on_commit_callbacks
    ):
        _, before = fetch(client)
        # Another process records an update and bumps the shared version; this
        # process's own marker does not move (no on_commit here).
        crossing_update_record(
            crossing=crossing, source_kind="staff", status="closed", note="Shut"
        )
        cache.set(VERSION_KEY, "bumped-by-another-process", timeout=None)
        _, during = fetch(client)
        assert during["version"] == before["version"]
        wait_for(
            lambda: fetch(client)[1]["version"] != before["version"],
            WINDOW_MS / 1000 + 1,
            "the recheck window to pass",
        )
        _, after = fetch(client)
        assert after["version"] == "bumped-by-another-process"
        assert after["crossings"]["features"][0]["properties"]["status"] == "closed"


def test_while_another_process_builds_a_version_the_previous_one_is_served(
    client, crossing, django_assert_num_queries
):
    _, before = fetch(client)
    cache.set(VERSION_KEY, "being-built-elsewhere", timeout=None)
    cache.add(BUILD_LOCK_KEY.format(version="being-built-elsewhere"), 1, timeout=30)
    with django_assert_num_queries(0):
        _, served = fetch(client)
    assert served["version"] == before["version"]
    cache.delete(BUILD_LOCK_KEY.format(version="being-built-elsewhere"))
    _, after = fetch(client)
    assert after["version"] == "being-built-elsewhere"


def test_with_the_cache_down_the_map_is_still_served(client, crossing):
    with mock.patch(
        "routes.mapdoc.snapshot.snapshot_version", side_effect=RedisError("down")
    ):
        response, doc = fetch(client)
    assert doc["crossings"]["features"][0]["id"] == "upper-lars"
