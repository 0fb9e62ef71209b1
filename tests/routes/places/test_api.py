"""GET /api/v1/places/: every place, or those a name starts with, cacheable."""

import pytest

from routes.flights.seeding import seed_airports
from routes.places.seeding import places_load
from routes.seeding import SEED_DIR, SeedResult

pytestmark = pytest.mark.django_db

URL = "/api/v1/places/"
FIELDS = {
    "slug",
    "name_en",
    "name_ru",
    "region_en",
    "region_ru",
    "latitude",
    "longitude",
    "kind",
    "airports",
    "source_url",
}


@pytest.fixture
def seeded():
    seed_airports(directory=SEED_DIR, result=SeedResult())
    return places_load(SEED_DIR / "places.json")


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [place["slug"] for place in response.json()]


def test_it_lists_every_place_by_english_name_with_its_source(api, seeded):
    response = api.get(URL)
    places = response.json()
    assert len(places) == seeded.created
    assert all(set(place) == FIELDS for place in places)
    names = [place["name_en"] for place in places]
    assert names == sorted(names)
    moscow = next(place for place in places if place["slug"] == "moscow")
    assert moscow == {
        "slug": "moscow",
        "name_en": "Moscow",
        "name_ru": "Москва",
        "region_en": "Moscow",
        "region_ru": "Москва",
        "latitude": 55.754,
        "longitude": 37.6204,
        "kind": "regional-capital",
        "airports": ["SVO", "VKO", "DME"],
        "source_url": moscow["source_url"],
    }
    assert moscow["source_url"].startswith("https://github.com/hflabs/city/")


def test_it_may_be_cached_publicly_for_an_hour(api, seeded):
    response = api.get(URL, {"q": "mur"})
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]


NAME_STARTS = [
    ("mur", ["murmansk"]),
    ("МУР", ["murmansk"]),
    ("Saint", ["saint-petersburg"]),
    ("санкт", ["saint-petersburg"]),
    ("орел", ["oryol"]),  # ё written as е
    ("rostov on", ["rostov-on-don"]),
    ("Vla", ["vladikavkaz", "vladimir", "vladivostok"]),
    ("petersburg", []),  # a prefix, not any word
    ("Zzz", []),
]


def test_q_keeps_the_places_whose_name_starts_with_it(api, seeded):
    for q, expected in NAME_STARTS:
        assert slugs(api.get(URL, {"q": q})) == expected, q


def test_it_reads_the_database_once_then_from_memory(
    api, seeded, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert len(slugs(api.get(URL))) == seeded.created
    with django_assert_num_queries(0):
        assert slugs(api.get(URL, {"q": "omsk"})) == ["omsk"]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"q": "x" * 51}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"name": "omsk"}, "name"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(api, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()
    assert "public" not in response.get("Cache-Control", "")


def test_it_is_listed_at_the_api_root(api):
    assert api.get("/api/v1/").json()["places"].endswith(URL)
