"""The shipped places: every regional capital within reach of a border, every
airport city, sourced coordinates, and none of the occupied Ukrainian cities."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from routes.flights.seeding import seed_airports
from routes.places.drive import great_circle_km
from routes.places.models import Place
from routes.places.seeding import PlaceLoadError, places_load
from routes.seeding import SEED_DIR, SeedResult

pytestmark = pytest.mark.django_db

PLACES = SEED_DIR / "places.json"
REACH_KM = 1500
AIRPORT_RADIUS_KM = 100
# ISO 3166-2:RU: the 83 subjects the standard gives Russia, and Ukraine's codes
# for Crimea and Sevastopol. Written out here, apart from the seed, so a subject
# missing from the seed is caught.
SUBJECTS = set(
    """RU-AD RU-AL RU-BA RU-BU RU-CE RU-CU RU-DA RU-IN RU-KB RU-KL RU-KC RU-KR
    RU-KK RU-KO RU-ME RU-MO RU-SA RU-SE RU-TA RU-TY RU-UD RU-ALT RU-KAM RU-KHA
    RU-KDA RU-KYA RU-PER RU-PRI RU-STA RU-ZAB RU-AMU RU-ARK RU-AST RU-BEL RU-BRY
    RU-CHE RU-IRK RU-IVA RU-KGD RU-KLU RU-KEM RU-KIR RU-KOS RU-KGN RU-KRS RU-LEN
    RU-LIP RU-MAG RU-MOS RU-MUR RU-NIZ RU-NGR RU-NVS RU-OMS RU-ORE RU-ORL RU-PNZ
    RU-PSK RU-ROS RU-RYA RU-SAK RU-SAM RU-SAR RU-SMO RU-SVE RU-TAM RU-TOM RU-TUL
    RU-TVE RU-TYU RU-ULY RU-VLA RU-VGG RU-VLG RU-VOR RU-YAR RU-MOW RU-SPE RU-YEV
    RU-CHU RU-KHM RU-NEN RU-YAN UA-43 UA-40""".split()
)
OCCUPIED_CAPITALS = {
    "Donetsk", "Донецк", "Luhansk", "Lugansk", "Луганск", "Melitopol",
    "Мелитополь", "Zaporizhzhia", "Zaporozhye", "Запорожье", "Kherson",
    "Херсон", "Henichesk", "Геническ",
}  # fmt: skip
CYRILLIC = re.compile(r"^[А-Яа-яЁё][А-Яа-яЁё\- ()—]*$")


def rows(name: str) -> list[dict]:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture
def loaded():
    seed_airports(directory=SEED_DIR, result=SeedResult())
    return places_load(PLACES)


def test_every_subject_has_its_capital_in_the_seed_once():
    capitals = [p for p in rows("places.json") if p["kind"] == "regional-capital"]
    codes = [p["region_code"] for p in capitals]
    assert len(SUBJECTS) == 85
    assert sorted(codes) == sorted(SUBJECTS)


def test_every_regional_capital_within_1500_km_of_a_crossing_is_loaded(loaded):
    crossings = rows("crossings.json")
    capitals = [p for p in rows("places.json") if p["kind"] == "regional-capital"]
    within = {
        p["slug"]
        for p in capitals
        if min(
            great_circle_km(p["latitude"], p["longitude"], c["lat"], c["lon"])
            for c in crossings
        )
        <= REACH_KM
    }
    # The far north-east is out of reach; everything else is in it.
    assert {p["slug"] for p in capitals} - within == {
        "anadyr",
        "magadan",
        "petropavlovsk-kamchatsky",
    }
    stored = set(Place.objects.values_list("slug", flat=True))
    assert within <= stored
    assert loaded.created == Place.objects.count() == len(rows("places.json"))


def test_the_cities_travellers_ask_for_are_there(loaded):
    named = {
        "murmansk": "Мурманск",
        "novosibirsk": "Новосибирск",
        "moscow": "Москва",
        "saint-petersburg": "Санкт-Петербург",
        "vladikavkaz": "Владикавказ",
        "omsk": "Омск",
        "chita": "Чита",
        "orenburg": "Оренбург",
    }
    places = Place.objects.in_bulk(list(named), field_name="slug")
    assert {slug: p.name_ru for slug, p in places.items()} == named
    assert places["moscow"].airports == ["SVO", "VKO", "DME"]
    assert places["vladikavkaz"].region_en == "Republic of North Ossetia–Alania"
    assert Place.objects.get(slug="oryol").name_ru == "Орёл"


def test_occupied_ukrainian_capitals_are_left_out_and_crimea_is_named_neutrally(
    loaded,
):
    names = set(Place.objects.values_list("name_en", flat=True)) | set(
        Place.objects.values_list("name_ru", flat=True)
    )
    assert not names & OCCUPIED_CAPITALS
    assert not Place.objects.filter(
        region_code__in=["UA-14", "UA-09", "UA-23", "UA-65"]
    )
    crimea = Place.objects.get(slug="simferopol")
    assert (crimea.region_en, crimea.region_ru, crimea.region_code) == (
        "Crimea",
        "Крым",
        "UA-43",
    )
    for place in Place.objects.filter(region_code__startswith="UA-"):
        assert "Republic" not in place.region_en
        assert "Республика" not in place.region_ru
        assert "occupied" in place.note


def test_every_russian_airport_city_is_a_place_served_by_its_airport(loaded):
    for airport in rows("airports.json"):
        if airport["country"] != "RU":
            continue
        place = Place.objects.get(name_en=airport["city_en"])
        assert place.name_ru == airport["city_ru"]
        assert airport["iata"] in place.airports, place.slug
    assert set(
        Place.objects.filter(kind="airport-city").values_list("slug", flat=True)
    ) == {"sochi", "mineralnye-vody"}


def test_each_place_lists_the_airports_within_100_km_nearest_first(loaded):
    airports = [a for a in rows("airports.json") if a["country"] == "RU"]
    for place in Place.objects.all():
        near = sorted(
            (great_circle_km(place.latitude, place.longitude, a["lat"], a["lon"]), a)
            for a in airports
            if great_circle_km(place.latitude, place.longitude, a["lat"], a["lon"])
            <= AIRPORT_RADIUS_KM
        )
        assert place.airports == [a["iata"] for _, a in near], place.slug


def test_every_row_is_sourced_dated_and_named_in_both_languages():
    places = rows("places.json")
    assert len({p["slug"] for p in places}) == len(places)
    for place in places:
        assert place["source_url"].startswith("https://github.com/hflabs/city/blob/"), (
            place["slug"]
        )
        assert re.search(r"#L\d+$", place["source_url"]), place["slug"]
        assert place["source_date"] == "2021-10-11"
        assert CYRILLIC.match(place["name_ru"]), place["slug"]
        assert CYRILLIC.match(place["region_ru"]), place["slug"]
        assert place["name_en"].isascii(), place["slug"]
        for axis in ("latitude", "longitude"):
            assert round(place[axis], 4) == place[axis], place["slug"]
        # Russia's territory, Kaliningrad to Chukotka (past 180° it is not).
        assert 41 < place["latitude"] < 70 and 19 < place["longitude"] < 180


def test_loading_again_changes_nothing(loaded):
    before = list(Place.objects.order_by("slug").values())
    again = places_load(PLACES)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == len(before)
    assert list(Place.objects.order_by("slug").values()) == before


def test_the_whole_seed_loads_places_after_airports():
    out = StringIO()
    call_command("seed", stdout=out)
    count = len(rows("places.json"))
    assert Place.objects.count() == count
    assert f"places: {count} created, 0 updated, 0 unchanged" in out.getvalue()


def test_the_command_loads_a_file_and_says_so(loaded):
    out = StringIO()
    call_command("load_places", "--from", str(PLACES), stdout=out)
    assert (
        out.getvalue().strip()
        == f"places: 0 created, 0 updated, {len(rows('places.json'))} unchanged"
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"region_code": "UA-14"}, "region_code"),
        ({"airports": ["XXX"]}, "XXX"),
        ({"latitude": "north"}, "latitude"),
        ({"kind": "village"}, "kind"),
        ({"source_date": "2021-13-45"}, "source_date"),
        ({"source_url": "hflabs"}, "source_url"),
        ({"name_ru": 5}, "name_ru"),
        ({"population": 300000}, "unknown population"),
    ],
)
def test_a_bad_row_fails_with_one_line_and_writes_nothing(tmp_path, change, message):
    seed_airports(directory=SEED_DIR, result=SeedResult())
    places = rows("places.json")
    places[-1].update(change)
    path = tmp_path / "places.json"
    path.write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as exc:
        call_command("load_places", "--from", str(path), stdout=StringIO())

    text = str(exc.value)
    assert message in text and f"row {len(places) - 1}" in text
    assert "\n" not in text
    assert Place.objects.count() == 0


def test_a_missing_or_unreadable_file_is_one_clear_line(tmp_path):
    with pytest.raises(PlaceLoadError, match="No such file"):
        places_load(tmp_path / "nowhere.json")
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps([rows("places.json")[0]] * 2), encoding="utf-8")
    with pytest.raises(PlaceLoadError, match="slug given twice"):
        places_load(twice)
