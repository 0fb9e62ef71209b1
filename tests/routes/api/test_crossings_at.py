"""GET /api/v1/crossings/?at=: the list as it stood at a past moment."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/crossings/"
MOBILISATION = datetime(2022, 9, 21, 9, 0, tzinfo=UTC)
SOURCE = "https://t.me/exitwatch_border/101"


def at(hours: float) -> str:
    return (MOBILISATION + timedelta(hours=hours)).isoformat()


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def september(db):
    """Upper Lars: open, then Georgia's side closed for a while, open again today.
    Karaozek: the Russian side restricted to cargo. Zabaikalsk: never reported."""
    lars = CrossingFactory(slug="upper-lars", country="GE", name_en="Upper Lars")
    record = crossing_update_record
    record(
        crossing=lars,
        source_kind="official",
        status="open",
        waits={"car": 60},
        source_url=SOURCE,
        observed_at=MOBILISATION,
    )
    record(
        crossing=lars,
        source_kind="official",
        status="closed",
        side="neighbour",
        waits={"car": 1440},
        note="Georgia closed its side for the night",
        observed_at=MOBILISATION + timedelta(hours=2),
    )
    record(
        crossing=lars,
        source_kind="staff",
        status="open",
        waits={"car": 30},
        source_url=SOURCE,
    )
    karaozek = CrossingFactory(slug="karaozek", country="KZ", name_en="Karaozek")
    record(
        crossing=karaozek,
        source_kind="official",
        status="restricted",
        side="ru",
        facts={"cargo_only": True},
        waits={"car": 300},
        source_url="https://rosgranstroy.ru/checkpoint/karaozek",
        observed_at=MOBILISATION + timedelta(hours=1),
    )
    CrossingFactory(slug="zabaikalsk", country="CN", name_en="Zabaikalsk", kind="rail")
    return lars, karaozek


def test_the_list_at_a_moment_shows_each_sides_claim_then(api, september):
    response = api.get(URL, {"at": at(3)})
    assert slugs(response) == ["zabaikalsk", "upper-lars", "karaozek"]
    rows = {row["slug"]: row for row in response.json()["results"]}
    lars = rows["upper-lars"]
    assert lars["status"] == "closed"
    assert lars["status_observed_at"] == "2022-09-21T11:00:00Z"
    assert lars["sides"]["ru"]["status"] == "open"
    assert lars["sides"]["ru"]["source_url"] == SOURCE
    assert lars["sides"]["neighbour"] == {
        "status": "closed",
        "observed_at": "2022-09-21T11:00:00Z",
        "source_kind": "official",
        "source_url": "",
        "note": "Georgia closed its side for the night",
    }
    assert lars["waits"]["car"] == 1440
    assert lars["last_observed_at"] == "2022-09-21T11:00:00Z"
    assert lars["stale"] is False  # an hour old then; its threshold is six
    assert rows["zabaikalsk"]["status"] == "unknown"
    assert rows["zabaikalsk"]["stale"] is True
    assert (rows["karaozek"]["status"], rows["karaozek"]["cargo_only"]) == (
        "restricted",
        True,
    )
    # Today Georgia's side is open again.
    today = {row["slug"]: row for row in api.get(URL).json()["results"]}
    assert today["upper-lars"]["status"] == "open"


def test_before_any_report_every_crossing_is_unknown(api, september):
    rows = api.get(URL, {"at": "2022-09-20"}).json()["results"]
    assert {row["status"] for row in rows} == {"unknown"}
    assert {row["last_observed_at"] for row in rows} == {None}
    assert {row["waits"]["car"] for row in rows} == {None}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "closed"}, ["upper-lars"]),
        ({"status": "open"}, []),
        ({"stale": "true"}, ["zabaikalsk"]),
        ({"stale": "false"}, ["upper-lars", "karaozek"]),
        ({"cargo_only": "true"}, ["karaozek"]),
        ({"country": "GE", "status": "closed"}, ["upper-lars"]),
        ({"kind": "rail"}, ["zabaikalsk"]),
        ({"mode": "bus", "status": "restricted"}, ["karaozek"]),
    ],
)
def test_filters_apply_to_the_state_at_the_moment(api, september, query, expected):
    assert slugs(api.get(URL, {"at": at(3), **query})) == expected


def test_today_the_same_filters_see_todays_state(api, september):
    assert slugs(api.get(URL, {"status": "closed"})) == []
    assert slugs(api.get(URL, {"status": "open"})) == ["upper-lars"]
    assert slugs(api.get(URL, {"cargo_only": "true"})) == ["karaozek"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("wait_car", ["karaozek", "upper-lars", "zabaikalsk"]),
        ("-wait_car", ["upper-lars", "karaozek", "zabaikalsk"]),
        ("-last_observed_at", ["upper-lars", "karaozek", "zabaikalsk"]),
    ],
)
def test_ordering_uses_the_waits_at_the_moment(api, september, ordering, expected):
    # Today Upper Lars has the shortest queue (30 min); at 12:00 the longest.
    assert slugs(api.get(URL, {"at": at(3), "ordering": ordering})) == expected


def test_pages_at_a_moment_follow_each_other_and_back(api, september):
    for n in range(4):
        CrossingFactory(slug=f"c{n}", name_en=f"Crossing {n % 2}")
    first = f"{URL}?page_size=2&ordering=-wait_car&at={at(3)}"
    seen, url, pages = [], first, []
    while url:
        body = api.get(url).json()
        pages.append([r["slug"] for r in body["results"]])
        seen += pages[-1]
        url = body["next"]
    assert pages == [
        ["upper-lars", "karaozek"],
        ["zabaikalsk", "c0"],  # unknown waits last, then by country and name
        ["c2", "c1"],
        ["c3"],
    ]
    second = api.get(first).json()["next"]
    back = api.get(second).json()["previous"]
    assert [r["slug"] for r in api.get(back).json()["results"]] == pages[0]


@pytest.mark.parametrize(
    "value", ["yesterday", "2022-13-01", "2999-01-01", "1999-12-31T00:00:00Z", ""]
)
@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_a_bad_moment_is_a_400_naming_at(api, september, value, fmt):
    response = api.get(URL, {"at": value, "format": fmt})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["at"][0]


def test_the_detail_takes_no_moment(api, september):
    response = api.get(URL + "upper-lars/", {"at": at(3)})
    assert response.status_code == 400
    assert "at" in response.json()


def test_geojson_and_csv_at_a_moment_show_the_state_then(api, september):
    features = api.get(URL, {"at": at(3), "format": "geojson", "country": "GE"}).json()[
        "features"
    ]
    [lars] = features
    assert lars["properties"]["status"] == "closed"
    assert lars["properties"]["sides"]["neighbour"]["status"] == "closed"
    assert lars["properties"]["waits"]["car"] == 1440
    response = api.get(URL, {"at": at(3), "format": "csv", "status": "closed"})
    [row] = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert (row["slug"], row["status"], row["sides_neighbour_status"]) == (
        "upper-lars",
        "closed",
        "closed",
    )
    assert row["waits_car"] == "1440"


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_the_list_at_a_moment_runs_the_same_queries_for_2_or_20(api, db, fmt):
    def queries(n):
        for i in range(n):
            crossing = CrossingFactory(slug=f"{n}-{i}")
            crossing_update_record(
                crossing=crossing,
                source_kind="staff",
                status="open",
                source_url=SOURCE,
                observed_at=timezone.now() - timedelta(days=2),
            )
        moment = (timezone.now() - timedelta(days=1)).isoformat()
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(URL, {"format": fmt, "at": moment, "stale": "true"})
            assert response.status_code == 200
        return len(ctx)

    small = queries(2)
    assert queries(18) == small
    assert small <= 3
