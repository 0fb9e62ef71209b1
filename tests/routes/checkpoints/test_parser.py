"""Rosgranstroy's list read from the two saved copies, and the short hours."""

import json
from collections import Counter

import pytest

from routes.checkpoints.sources.rosgranstroy import (
    OfficialListError,
    parse,
    short_hours,
)
from tests.datafiles import ROSGRANSTROY_JANUARY, ROSGRANSTROY_JUNE


@pytest.fixture(scope="module")
def june():
    return parse(ROSGRANSTROY_JUNE.read_bytes())


def facing(checkpoints):
    return [c for c in checkpoints if c.is_land and c.foreign_country]


def by_id(checkpoints):
    return {c.official_id: c for c in checkpoints}


def test_both_copies_hold_every_checkpoint_and_124_land_crossings_abroad(june):
    january = parse(ROSGRANSTROY_JANUARY.read_bytes())
    for checkpoints in (january, june):
        assert len(checkpoints) == 385
        assert len(facing(checkpoints)) == 124
    assert Counter(c.kind for c in june) == {
        "road": 135,
        "air": 92,
        "rail": 70,
        "sea": 69,
        "mixed": 11,
        "river": 5,
        "pedestrian": 2,
        "lake": 1,
    }


def test_checkpoints_towards_the_occupied_regions_face_no_country(june):
    checkpoints = by_id(june)
    # Kuybyshevo (Marinovka) and Chertkovo face the Donetsk and Luhansk regions.
    for official_id in (152, 364):
        assert checkpoints[official_id].is_land
        assert checkpoints[official_id].foreign_country is None
    assert {152, 364}.isdisjoint(c.official_id for c in facing(june))


def test_the_feeds_own_codes_for_south_ossetia_and_abkhazia_are_georgia(june):
    checkpoints = by_id(june)
    assert (checkpoints[214].foreign_country, checkpoints[214].de_facto) == (
        "GE",
        "south-ossetia",
    )
    assert (checkpoints[5].foreign_country, checkpoints[5].de_facto) == (
        "GE",
        "abkhazia",
    )
    assert (checkpoints[56].foreign_country, checkpoints[56].de_facto) == ("GE", "")


def test_a_checkpoint_reads_as_the_list_states_it(june):
    borisoglebsk = by_id(june)[36]
    assert borisoglebsk.name_ru == "Борисоглебск"
    assert borisoglebsk.foreign_name_ru == "Стурскуг"
    assert borisoglebsk.foreign_country == "NO"
    assert (borisoglebsk.kind, borisoglebsk.pattern) == ("road", "cargo-passenger")
    assert borisoglebsk.working and borisoglebsk.multilateral
    assert borisoglebsk.region_en == "Murmansk region"
    assert borisoglebsk.hours_text_ru.startswith("Ежедневно: в летний период")
    assert borisoglebsk.updated_at.tzinfo is not None


def test_placeholder_points_are_dropped_and_chukotka_is_wrapped(june):
    checkpoints = by_id(june)
    assert (checkpoints[391].latitude, checkpoints[391].longitude) == (None, None)
    assert checkpoints[160].longitude == pytest.approx(189.001955 - 360)


def test_html_in_a_note_is_read_as_plain_text():
    january = by_id(parse(ROSGRANSTROY_JANUARY.read_bytes()))
    note = january[352].note_ru
    assert note.startswith("Пункт пропуска Хандагайты (Боршо) установлен")
    assert "<" not in note


def test_the_answer_without_the_saved_copys_meta_reads_the_same(june):
    document = json.loads(ROSGRANSTROY_JUNE.read_bytes())
    del document["meta"]
    assert parse(json.dumps(document).encode()) == june


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Service unavailable</html>", "not JSON"),
        (b"[]", "has no 'data'"),
        (b'{"data": {"federal_districts": {}}}', "holds no checkpoint"),
        (b'{"data": {"federal_districts": []}}', "is not an object"),
    ],
)
def test_what_is_not_the_list_is_refused_whole(body, message):
    with pytest.raises(OfficialListError, match=message):
        parse(body)


def test_one_bad_checkpoint_refuses_the_whole_list():
    document = json.loads(ROSGRANSTROY_JUNE.read_bytes())
    region = document["data"]["federal_districts"]["1"][0]
    region["checkpoints"][0]["checkpoint_type_id"] = 42
    official_id = region["checkpoints"][0]["id"]
    with pytest.raises(OfficialListError, match=f"checkpoint {official_id}: unknown"):
        parse(json.dumps(document).encode())


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("Круглосуточно", "24 h"),
        ("круглосуточно", "24 h"),
        ("С 09.00 до 21.00", "09:00–21:00"),
        ("с 9:00 до 21:00", "09:00–21:00"),
        ("Ежедневно с 08:00 до 20:00", "08:00–20:00"),
        ("Ежедневно, с 8.00 до 20.00", "08:00–20:00"),
        ("Круглосуточно, технологические перерывы с 07.45 до 8.00", ""),
        ("с 9.00-18.00", ""),
        ("на нерегулярной основе", ""),
        ("", ""),
    ],
)
def test_short_hours_only_when_the_text_says_nothing_more(text, short):
    assert short_hours(text) == short
