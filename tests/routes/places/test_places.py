"""The write path and the reads: one upsert by slug, places from memory until a
change, and the sourced distance from a place to a crossing."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from routes.places.drive import share_to_point
from routes.places.selectors import (
    VERSION_KEY,
    place_by_slug,
    places_all,
    route_distances,
)
from routes.places.services import place_upsert
from tests.factories import AirportFactory, CrossingFactory, ExitRouteFactory

pytestmark = pytest.mark.django_db

MURMANSK = {
    "slug": "murmansk",
    "name_en": "Murmansk",
    "name_ru": "Мурманск",
    "region_en": "Murmansk Oblast",
    "region_ru": "Мурманская область",
    "region_code": "RU-MUR",
    "latitude": 69.007721,
    "longitude": 33.0685865,
    "kind": "regional-capital",
    "source_url": "https://github.com/hflabs/city/blob/ae661bf/city.csv?plain=1#L595",
    "source_date": date(2021, 10, 11),
}
MOSCOW = {
    **MURMANSK,
    "slug": "moscow",
    "name_en": "Moscow",
    "name_ru": "Москва",
    "region_en": "Moscow",
    "region_ru": "Москва",
    "region_code": "RU-MOW",
    "latitude": 55.754,
    "longitude": 37.6204,
}


def moscow_airports() -> None:
    AirportFactory(iata="SVO")
    AirportFactory(iata="DME", latitude=55.4088, longitude=37.9063)
    AirportFactory(iata="VKO", latitude=55.5915, longitude=37.2615)


def test_an_upsert_creates_then_updates_then_changes_nothing():
    place, outcome = place_upsert(**MURMANSK)
    assert outcome == "created"
    # Kept to four decimals (about 11 m): finer than a city's centre.
    assert (place.latitude, place.longitude) == (69.0077, 33.0686)
    _, outcome = place_upsert(**{**MURMANSK, "note": "Ice-free port."})
    assert outcome == "updated"
    again, outcome = place_upsert(**{**MURMANSK, "note": "Ice-free port."})
    assert (outcome, again.pk) == ("unchanged", place.pk)
    assert again.note == "Ice-free port."


def test_airports_are_stored_nearest_first_and_must_be_seeded():
    moscow_airports()
    place, _ = place_upsert(**MOSCOW, airports=["DME", "SVO", "VKO"])
    assert place.airports == ["SVO", "VKO", "DME"]
    with pytest.raises(ValidationError) as exc:
        place_upsert(**MOSCOW, airports=["SVO", "ZIA"])
    assert "ZIA" in exc.value.message_dict["airports"][0]
    with pytest.raises(ValidationError) as exc:
        place_upsert(**MOSCOW, airports=["SVO", "SVO"])
    assert "airports" in exc.value.message_dict


@pytest.mark.parametrize(
    "change, field",
    [
        # Russia's claimed subjects in occupied Ukraine have no such code.
        ({"region_code": "UA-14"}, "region_code"),
        ({"region_code": "DPR"}, "region_code"),
        ({"latitude": 95.0}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"kind": "village"}, "kind"),
        ({"name_ru": "  "}, "name_ru"),
        ({"source_url": "ftp://example.org/x"}, "source_url"),
        ({"source_date": date(2999, 1, 1)}, "source_date"),
        ({"slug": "Not a slug"}, "slug"),
    ],
)
def test_it_refuses_a_bad_place_by_field(change, field):
    with pytest.raises(ValidationError) as exc:
        place_upsert(**{**MURMANSK, **change})
    assert field in exc.value.message_dict
    assert places_all() == []


def test_crimea_and_sevastopol_take_ukraines_codes():
    crimea = {**MURMANSK, "slug": "simferopol", "region_code": "UA-43"}
    assert place_upsert(**crimea)[1] == "created"


def test_places_are_read_once_then_from_memory(django_assert_num_queries):
    place_upsert(**MURMANSK)
    with django_assert_num_queries(1):
        assert [p.slug for p in places_all()] == ["murmansk"]
    with django_assert_num_queries(0):
        assert places_all()[0].name_ru == "Мурманск"
        assert place_by_slug("murmansk").region_code == "RU-MUR"
        assert place_by_slug("nowhere") is None


def test_a_change_shows_at_once_here_and_after_a_version_bump_elsewhere(
    django_assert_num_queries,
):
    place_upsert(**MURMANSK)
    assert len(places_all()) == 1
    # Written in this process: read at once, before the commit.
    place_upsert(**MOSCOW)
    assert [p.slug for p in places_all()] == ["moscow", "murmansk"]
    # Written by another process (the seed command): its commit bumps the
    # shared version, and this process reads again.
    cache.set(VERSION_KEY, "from-the-seed-command")
    with django_assert_num_queries(1):
        assert len(places_all()) == 2


def test_a_caller_cannot_change_the_list_others_read():
    place_upsert(**MURMANSK)
    places_all().clear()
    assert len(places_all()) == 1


def test_route_distances_give_the_sourced_share_up_to_the_crossing(
    django_assert_num_queries,
):
    place_upsert(**MURMANSK)
    crossing = CrossingFactory(
        slug="borisoglebsk", latitude=69.655681, longitude=30.203183
    )
    lotta = CrossingFactory(slug="lotta", latitude=68.5930, longitude=28.6180)
    # Murmansk → Borisoglebsk → Kirkenes: 240 km in all, the border near the end.
    path = [
        [33.0686, 69.0077],
        [31.5, 69.3],
        [30.203183, 69.655681],
        [30.0452, 69.7271],
    ]
    e105 = "https://en.wikipedia.org/wiki/European_route_E105"
    ExitRouteFactory(
        origin_en="Murmansk", crossing=crossing, distance_km=240, path=path, source=e105
    )
    # A longer route between the same two is not the drive's distance.
    ExitRouteFactory(
        origin_en="Murmansk", crossing=crossing, distance_km=300, path=path
    )
    # Known by its Russian name only.
    ExitRouteFactory(
        origin_en="Murmansk city",
        origin_ru="мурманск",
        crossing=lotta,
        distance_km=280,
        path=[[33.0686, 69.0077], [28.6180, 68.5930], [27.0, 68.4]],
    )
    # From no place we know, or with no sourced distance.
    ExitRouteFactory(origin_en="Kirovsk", origin_ru="Кировск", crossing=crossing)
    ExitRouteFactory(origin_en="Murmansk", crossing=lotta, distance_km=None)
    places_all()
    with django_assert_num_queries(1):
        distances = route_distances()
    share = share_to_point(path, latitude=69.655681, longitude=30.203183)
    assert 0.85 < share < 1
    assert distances[("murmansk", crossing.pk)] == (round(240 * share), e105)
    assert set(distances) == {("murmansk", crossing.pk), ("murmansk", lotta.pk)}
    assert distances[("murmansk", lotta.pk)][0] < 280
