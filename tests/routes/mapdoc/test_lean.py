"""GET /api/v1/map/lean/<lang>/ and /api/v1/map/crossings/<slug>/: the lean
document the map page loads and each popup's details, cut from the one build
of the map document and served like it."""

import gzip
import json
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.urls import reverse

from routes.mapdoc.lean import CROSSING_FIELDS, FLIGHTS_SHOWN, lean_document
from routes.mapdoc.snapshot import lean_shape, snapshot_build
from routes.models import BorderCrossing
from routes.services import crossing_update_record
from tests.factories import CrossingFactory, ExitRouteFactory
from tests.support.seeded import seed_copy

pytestmark = pytest.mark.django_db
FULL = "/api/v1/map/"
SOURCE = "https://example.org/statement"
# Russian providers cut connections to big Western hosts after about 16 KB.
FILTER_BYTES = 16 * 1024


def lean_url(lang):
    return reverse("api:map-lean", args=[lang])


def detail_url(slug):
    return reverse("api:map-crossing", args=[slug])


def get_json(client, url, **params):
    response = client.get(url, params, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, response.content
    return response, json.loads(gzip.decompress(response.content))


def rows(doc):
    """The lean crossings as dicts, keyed by slug."""
    fields = doc["crossings"]["fields"]
    return {
        row[0]: dict(zip(fields, row, strict=True)) for row in doc["crossings"]["rows"]
    }


@pytest.fixture
def lars(crossing, django_capture_on_commit_callbacks):
    crossing.region_en, crossing.region_ru = "North Ossetia", "Северная Осетия"
    crossing.save()
    with django_capture_on_commit_callbacks(execute=True):
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            side="neighbour",
            status="restricted",
            waits={"car": 360},
            source_url=SOURCE,
            note="Only residents",
            note_ru="Только местные",
        )
    ExitRouteFactory(slug="moscow-tbilisi", crossing=crossing)
    return crossing


def test_the_lean_document_is_cut_from_the_same_build_in_one_language(client, lars):
    _, full = get_json(client, FULL)
    _, en = get_json(client, lean_url("en"))
    _, ru = get_json(client, lean_url("ru"))
    for lean in (en, ru):
        assert lean["version"] == full["version"]
        assert lean["generated_at"] == full["generated_at"]
        assert lean["data_as_of"] == full["data_as_of"]
        assert lean["crossings"]["fields"] == list(CROSSING_FIELDS)
    assert (en["lang"], ru["lang"]) == ("en", "ru")
    crossing_en, crossing_ru = rows(en)["upper-lars"], rows(ru)["upper-lars"]
    assert (crossing_en["name"], crossing_ru["name"]) == ("Upper Lars", "Верхний Ларс")
    # The other language's names ride along for search only.
    assert "Верхний Ларс" in crossing_en["other_names"]
    assert "Upper Lars" in crossing_ru["other_names"]
    assert crossing_ru["region"] == "Северная Осетия"
    assert en["countries"]["GE"] == ["Georgia", "Грузия"]
    assert ru["countries"]["GE"] == ["Грузия", "Georgia"]
    props = full["crossings"]["features"][0]["properties"]
    assert crossing_en["status"] == props["status"] == "restricted"
    assert crossing_en["waits"] == {"car": 360}  # the modes reported, no nulls
    assert crossing_en["sides"]["neighbour"] == {
        "status": "restricted",
        "observed_at": props["sides"]["neighbour"]["observed_at"],
    }
    assert crossing_en["last_observed_at"] == props["last_observed_at"]
    # What only a popup shows is left to the crossing's details.
    assert not {"restrictions", "note", "hours", "stale", "url"} & set(crossing_en)
    route = en["routes"][0]
    assert set(route) == {"slug", "name", "crossing", "distance_km", "path"}
    assert all(
        round(value, 4) == value for point in route["path"] for value in point
    ), route["path"]


def test_it_is_served_like_the_full_document(client, lars):
    full, _ = get_json(client, FULL)
    response, _ = get_json(client, lean_url("en"))
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"].endswith('-gz"')
    assert response["Cache-Control"] == full["Cache-Control"]
    assert response["Vary"] == "Accept-Encoding"
    assert response["X-Snapshot-Version"] == full["X-Snapshot-Version"]
    again = client.get(
        lean_url("en"),
        headers={"if-none-match": response["ETag"], "accept-encoding": "gzip"},
    )
    assert again.status_code == 304
    # Another language is another document, with its own validator.
    assert get_json(client, lean_url("ru"))[0]["ETag"] != response["ETag"]
    plain = client.get(lean_url("en"), headers={"accept-encoding": "identity"})
    assert "Content-Encoding" not in plain
    assert json.loads(plain.content)["lang"] == "en"


def test_warm_requests_run_no_sql(client, lars, django_assert_num_queries):
    get_json(client, lean_url("en"))
    with django_assert_num_queries(0):
        get_json(client, lean_url("ru"))
        get_json(client, detail_url("upper-lars"))


def test_an_update_reaches_the_lean_document_and_the_details_at_once(
    client, lars, django_capture_on_commit_callbacks
):
    _, before = get_json(client, lean_url("en"))
    with django_capture_on_commit_callbacks(execute=True):
        crossing_update_record(
            crossing=lars, source_kind="staff", status="closed", note="Shut"
        )
    _, after = get_json(client, lean_url("en"))
    assert after["version"] != before["version"]
    assert rows(after)["upper-lars"]["status"] == "closed"
    response, detail = get_json(client, detail_url("upper-lars"))
    assert response["X-Snapshot-Version"] == after["version"]
    assert detail["properties"]["note"] == "Shut"


def test_a_crossings_details_are_its_feature_in_the_full_document(client, lars):
    _, full = get_json(client, FULL)
    response, detail = get_json(client, detail_url("upper-lars"))
    assert detail == full["crossings"]["features"][0]
    assert detail["properties"]["sides"]["neighbour"]["note_ru"] == "Только местные"
    assert response["Cache-Control"] == "public, max-age=15, stale-while-revalidate=60"
    again = client.get(
        detail_url("upper-lars"),
        headers={"if-none-match": response["ETag"], "accept-encoding": "gzip"},
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/api/v1/map/lean/de/", "/api/v1/map/crossings/no-such-crossing/"]
)
def test_an_unknown_language_or_crossing_is_a_json_404(client, lars, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_lean_document_and_details_stand_at_a_past_moment(client, db):
    vaalimaa = CrossingFactory(slug="vaalimaa", country="FI")
    for status, when in (
        ("open", datetime(2022, 9, 1, tzinfo=UTC)),
        ("closed", datetime(2023, 11, 30, tzinfo=UTC)),
    ):
        crossing_update_record(
            crossing=vaalimaa,
            source_kind="staff",
            status=status,
            source_url=SOURCE,
            note=f"{status} then",
            observed_at=when,
        )
    _, then = get_json(client, lean_url("en"), at="2022-09-25T23:59:00Z")
    assert then["at"] == "2022-09-25T23:59:00Z"
    assert rows(then)["vaalimaa"]["status"] == "open"
    response, detail = get_json(
        client, detail_url("vaalimaa"), at="2022-09-25T23:59:00Z"
    )
    assert detail["properties"]["note"] == "open then"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert rows(get_json(client, lean_url("en"))[1])["vaalimaa"]["status"] == "closed"


def test_a_bad_moment_is_explained_in_the_language_the_url_names(client, lars):
    response = client.get(lean_url("ru"), {"at": "not-a-date"})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["at"][0]
    assert "Укажите" in response.json()["at"][0]


@pytest.fixture(scope="module")
def seeded_lean_sizes(django_db_setup, django_db_blocker):
    """The real seed's lean documents as the server stores and serves them
    (gzip bytes), with the number of crossings seeded. Seeded once for the
    module, in a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_copy()
        built = snapshot_build(version="seed")
        count = BorderCrossing.objects.count()
        documents = {
            lang: (
                len(built.shapes[lean_shape(lang)].gzip_body),
                json.loads(built.shapes[lean_shape(lang)].identity_body),
            )
            for lang in ("en", "ru")
        }
        transaction.set_rollback(True)
    return count, documents


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_seeded_lean_document_fits_through_the_filter(seeded_lean_sizes, lang):
    count, documents = seeded_lean_sizes
    size, document = documents[lang]
    assert count >= 120
    assert len(document["crossings"]["rows"]) == count
    assert size <= FILTER_BYTES, f"{size} bytes gzipped, {lang}"


def test_it_carries_the_flights_the_map_shows_and_counts_the_rest():
    def flight(origin, destination, *, seats=True, sold_out=False):
        return {
            "origin_city_en": origin,
            "origin_city_ru": origin.upper(),
            "destination_city_en": destination,
            "destination_city_ru": destination.upper(),
            "any_seats": seats,
            "sold_out": sold_out,
        }

    flights = [flight("Sochi", f"Place {n:02}", seats=False) for n in range(20)]
    flights += [flight("Kazan", "Istanbul", seats=True, sold_out=True)]
    flights += [flight("Moscow", f"Place {n:02}") for n in range(10, 0, -1)]
    full = {
        "version": "v",
        "generated_at": "2026-12-06T10:00:00Z",
        "at": None,
        "data_as_of": None,
        "crossings": {"features": []},
        "routes": {"features": []},
        "advisories": [],
        "flights": flights,
    }
    lean = lean_document(full, "en")
    assert lean["flights_count"] == 31
    shown = [(f["origin_city_en"], f["destination_city_en"]) for f in lean["flights"]]
    assert len(shown) == FLIGHTS_SHOWN == 12
    # Seats first, by origin then destination; sold out after; unknown seats last.
    assert shown[:10] == [("Moscow", f"Place {n:02}") for n in range(1, 11)]
    assert shown[10] == ("Kazan", "Istanbul")
    assert shown[11] == ("Sochi", "Place 00")
