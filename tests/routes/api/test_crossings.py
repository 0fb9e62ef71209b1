"""GET /api/v1/crossings/ and /api/v1/crossings/{slug}/."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/crossings/"
FACTS = (
    "official_id",
    "bilateral",
    "cargo_only",
    "hours_text_ru",
    "de_facto",
    "coord_source",
)


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def border(db):
    """Three crossings: open with a long car queue, closed, and never reported."""
    lars = CrossingFactory(slug="upper-lars", country="GE", name_en="Upper Lars")
    crossing_update_record(
        crossing=lars,
        source_kind="official",
        status="open",
        waits={"car": 1440},
        source_url="https://www.gov.ge/en/upper-lars",
    )
    torfyanovka = CrossingFactory(
        slug="torfyanovka",
        country="FI",
        name_en="Torfyanovka",
        kind="road",
        allows_bus=False,
        allows_pedestrian=True,
    )
    crossing_update_record(
        crossing=torfyanovka,
        source_kind="staff",
        status="closed",
        side="ru",
        facts={"cargo_only": True},
        waits={"car": 30},
        note="Finland closed the border",
        observed_at=timezone.now() - timedelta(hours=1),
    )
    CrossingFactory(slug="zabaikalsk", country="CN", name_en="Zabaikalsk", kind="rail")
    return lars, torfyanovka


def test_the_list_shows_current_state_without_who_recorded_it(api, border):
    response = api.get(URL)
    assert slugs(response) == ["zabaikalsk", "torfyanovka", "upper-lars"]
    lars = response.json()["results"][2]
    assert lars["status"] == "open"
    assert lars["waits"] == {
        "car": 1440,
        "bus": None,
        "truck": None,
        "pedestrian": None,
    }
    assert lars["country"] == "GE"
    assert lars["stale"] is False
    assert lars["url"] == "http://testserver/api/v1/crossings/upper-lars/"
    assert lars["last_observed_at"].endswith("Z")
    assert "last_actor_label" not in lars and "actor" not in lars
    assert lars["status_observed_at"] == lars["last_observed_at"]
    assert lars["sides"]["ru"] == {
        "status": "open",
        "observed_at": lars["last_observed_at"],
        "source_kind": "official",
        "source_url": "https://www.gov.ge/en/upper-lars",
        "note": "",
    }
    assert lars["sides"]["neighbour"]["status"] == "open"
    torfyanovka = response.json()["results"][1]
    # Only the Russian side is known, and its closure closes the crossing.
    assert torfyanovka["status"] == "closed"
    assert torfyanovka["sides"]["ru"]["status"] == "closed"
    assert torfyanovka["sides"]["neighbour"] == {
        "status": "unknown",
        "observed_at": None,
        "source_kind": "",
        "source_url": "",
        "note": "",
    }
    assert torfyanovka["cargo_only"] is True
    assert {k: lars[k] for k in FACTS} == {
        "official_id": None,
        "bilateral": None,
        "cargo_only": False,
        "hours_text_ru": "",
        "de_facto": "",
        "coord_source": "",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=GE", ["upper-lars"]),
        ("country=ge", ["upper-lars"]),
        ("status=closed", ["torfyanovka"]),
        ("kind=rail", ["zabaikalsk"]),
        ("mode=pedestrian", ["torfyanovka"]),
        ("mode=bus", ["zabaikalsk", "upper-lars"]),
        ("stale=true", ["zabaikalsk"]),
        ("stale=false", ["torfyanovka", "upper-lars"]),
        ("cargo_only=true", ["torfyanovka"]),
        ("cargo_only=false", ["zabaikalsk", "upper-lars"]),
        ("country=FI&status=open", []),
    ],
)
def test_filters(api, border, query, expected):
    assert slugs(api.get(f"{URL}?{query}")) == expected


def test_stale_uses_each_crossings_own_threshold(api, border):
    lars, torfyanovka = border
    torfyanovka.stale_after_minutes = 30  # its report is an hour old
    torfyanovka.save()
    assert slugs(api.get(URL + "?stale=true")) == ["zabaikalsk", "torfyanovka"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("wait_car", ["torfyanovka", "upper-lars", "zabaikalsk"]),
        ("-wait_car", ["upper-lars", "torfyanovka", "zabaikalsk"]),
        ("name_en", ["torfyanovka", "upper-lars", "zabaikalsk"]),
    ],
)
def test_ordering_by_wait_puts_unknown_waits_last_both_ways(
    api, border, ordering, expected
):
    assert slugs(api.get(URL, {"ordering": ordering})) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX", "country"),
        ("country=Georgia", "country"),
        ("status=jammed", "status"),
        ("kind=tunnel", "kind"),
        ("mode=horse", "mode"),
        ("stale=maybe", "stale"),
        ("cargo_only=perhaps", "cargo_only"),
        ("ordering=wait_horse", "ordering"),
        ("ordering=secret_field", "ordering"),
        ("format=xml", "format"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=ten", "page_size"),
        ("cursor=forged", "cursor"),
        ("countyr=GE", "countyr"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, border, query, field):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()
    assert response.json()[field][0]


def test_a_bad_parameter_with_format_csv_still_answers_json(api, border):
    response = api.get(URL + "?format=csv&country=XX")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "country" in response.json()


def test_geojson_is_a_feature_collection_in_lon_lat_order(api, border):
    response = api.get(URL + "?format=geojson&country=GE")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [44.631, 42.7417]}
    assert feature["properties"]["status"] == "open"
    assert feature["properties"]["waits"]["car"] == 1440


def test_csv_has_one_row_per_crossing_with_flattened_waits(api, border):
    response = api.get(URL + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["slug"] for r in rows] == ["zabaikalsk", "torfyanovka", "upper-lars"]
    assert rows[2]["waits_car"] == "1440"
    assert rows[2]["waits_bus"] == ""
    assert rows[0]["modes"] == "car;bus"


def test_csv_defuses_spreadsheet_formulas(api, db):
    crossing = CrossingFactory(slug="evil")
    crossing_update_record(
        crossing=crossing, source_kind="traveller", note='=HYPERLINK("http://x")'
    )
    response = api.get(URL + "?format=csv")
    [row] = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["note"] == '\'=HYPERLINK("http://x")'


def test_an_empty_csv_still_has_its_header(api, border):
    response = api.get(URL + "?format=csv&country=MN")
    header = response.content.decode("utf-8-sig").splitlines()
    assert header[0].startswith("slug,name_en")
    assert "waits_car" in header[0]
    assert len(header) == 1


def test_the_detail_has_an_etag_that_changes_with_the_version(api, border):
    lars, _ = border
    first = api.get(URL + "upper-lars/")
    assert first.status_code == 200
    assert first.json()["slug"] == "upper-lars"
    etag = first["ETag"]
    again = api.get(URL + "upper-lars/", headers={"if-none-match": etag})
    assert again.status_code == 304
    crossing_update_record(
        crossing=lars, source_kind="staff", status="closed", note="Closed at 14:00"
    )
    changed = api.get(URL + "upper-lars/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["status"] == "closed"


def test_an_unknown_crossing_is_a_json_404(api, db):
    response = api.get(URL + "nowhere/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_pages_follow_each_other_without_gaps_or_repeats(api, db):
    for n in range(7):
        CrossingFactory(slug=f"c{n}", name_en=f"Crossing {n % 3}")
    seen, url = [], URL + "?page_size=3&ordering=-name_en"
    while url:
        body = api.get(url).json()
        seen += [r["slug"] for r in body["results"]]
        url = body["next"]
    assert sorted(seen) == [f"c{n}" for n in range(7)]
    assert len(seen) == 7
    # ...and back again with `previous`.
    back = api.get(api.get(URL + "?page_size=3").json()["next"]).json()["previous"]
    assert [r["slug"] for r in api.get(back).json()["results"]] == slugs(
        api.get(URL + "?page_size=3")
    )


def test_a_cursor_from_another_ordering_is_refused(api, db):
    for n in range(3):
        CrossingFactory(slug=f"c{n}")
    next_link = api.get(URL + "?page_size=1").json()["next"]
    response = api.get(next_link + "&ordering=wait_car")
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_the_list_runs_the_same_queries_for_2_or_20_crossings(
    api, db, fmt, django_assert_num_queries
):
    def queries(n):
        for i in range(n):
            CrossingFactory(slug=f"{n}-{i}")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL, {"format": fmt, "stale": "false"}).status_code == 200
        return len(ctx)

    small = queries(2)
    assert queries(18) == small
    assert small <= 3
