"""Recording the official list: the Russian side of each land crossing, only
what is new, and the airports' border checkpoints."""

from datetime import UTC, datetime

import pytest

from routes.checkpoints.services import checkpoints_record, text_key
from routes.flights.models import Airport
from routes.models import BorderCrossing, CrossingUpdate
from routes.services import crossing_update_record
from tests.factories import AirportFactory, CrossingFactory

from .conftest import FEED

pytestmark = pytest.mark.django_db

# What really changed on the land crossings abroad between the January and the
# June copies, worked out from the two files with text_key's normalisation:
# hours (Borisoglebsk 36, Salla 284, Suoperya 312, ...), multilateral →
# bilateral (Svetly 290, Khandagaity 352, Mondy 191), notes cleared (352, 191).
JUNE_CHANGES = {
    11, 36, 57, 96, 106, 131, 148, 170, 178, 179, 191, 192, 218, 229,
    256, 257, 260, 266, 284, 290, 292, 300, 312, 336, 352, 361, 367,
}  # fmt: skip


def history():
    return CrossingUpdate.objects.count()


def test_the_first_list_adds_each_land_crossing_abroad_with_its_russian_side(
    january,
):
    result = checkpoints_record(january, source_url=FEED)

    assert (result.seen, result.land, result.not_facing) == (385, 124, 24)
    assert len(result.created) == 124 and result.recorded == []
    assert BorderCrossing.objects.count() == 124
    assert CrossingUpdate.objects.filter(side="ru", source_url=FEED).count() == 124
    lars = BorderCrossing.objects.get(official_id=56)
    assert (lars.slug, lars.name_en, lars.country.code) == (
        "verkhniy-lars",
        "Verkhniy Lars",
        "GE",
    )
    assert lars.coord_source == "Rosgranstroy official point"
    assert lars.ru_source_kind == "official" and lars.ru_status == "open"
    # Nobody has said anything about the Georgian side yet.
    assert (lars.neighbour_status, lars.status) == ("unknown", "unknown")
    assert BorderCrossing.objects.get(official_id=214).de_facto == "south-ossetia"


def test_loading_the_same_list_again_writes_nothing(june):
    checkpoints_record(june, source_url=FEED)
    before = history(), list(BorderCrossing.objects.values_list("version", flat=True))

    result = checkpoints_record(june, source_url=FEED)

    assert (result.created, result.recorded, result.unchanged) == ([], [], 124)
    assert result.changed == 0
    after = history(), list(BorderCrossing.objects.values_list("version", flat=True))
    assert after == before


def test_january_then_june_records_exactly_the_real_changes(january, june):
    checkpoints_record(january, source_url=FEED)
    before = history()

    result = checkpoints_record(june, source_url=FEED)

    assert set(result.recorded) == JUNE_CHANGES
    assert result.created == [] and result.superseded == []
    assert history() == before + len(JUNE_CHANGES)
    svetly, khandagaity, borisoglebsk = (
        BorderCrossing.objects.get(official_id=i) for i in (290, 352, 36)
    )
    assert svetly.bilateral and khandagaity.bilateral
    assert khandagaity.ru_note == ""
    assert borisoglebsk.hours_text_ru.startswith("Ежедневно: в летний период")
    assert borisoglebsk.updates.filter(side="ru").count() == 2


def test_spelling_alone_is_no_change():
    assert text_key("круглосуточно") == text_key("Круглосуточно")
    assert text_key("Карталы (Аксу,Бускуль)") == text_key("Карталы (Аксу, Бускуль)")
    assert text_key("с 9.00 до 18.00") != text_key("с 9.00 до 17.00")


def test_a_crossing_we_hold_is_found_by_its_official_id(june):
    ours = CrossingFactory(slug="borisoglebsk", official_id=36, country="NO")

    result = checkpoints_record(june, source_url=FEED)

    assert 36 not in result.created
    ours.refresh_from_db()
    assert ours.ru_status == "open" and ours.hours_text_ru.startswith("Ежедневно")
    assert BorderCrossing.objects.filter(official_id=36).count() == 1
    assert ours.name_en.startswith("Checkpoint")  # reference data left alone


def test_cargo_only_and_modes_follow_the_pattern(june):
    checkpoints_record(june, source_url=FEED)
    olochi = BorderCrossing.objects.get(official_id=229)
    assert olochi.cargo_only and olochi.modes == ["truck"]
    krupp = BorderCrossing.objects.get(official_id=148)  # passenger only
    assert not krupp.cargo_only and krupp.modes == ["car", "bus"]
    ivangorod_on_foot = BorderCrossing.objects.get(official_id=111)
    assert (ivangorod_on_foot.kind, ivangorod_on_foot.modes) == (
        "pedestrian",
        ["pedestrian"],
    )
    upper_lars = BorderCrossing.objects.get(official_id=56)
    assert upper_lars.modes == ["car", "bus", "truck"]


def test_a_newer_claim_about_the_russian_side_is_not_overwritten(january, june):
    checkpoints_record(january, source_url=FEED)
    svetly = BorderCrossing.objects.get(official_id=290)
    crossing_update_record(
        crossing=svetly,
        source_kind="staff",
        status="closed",
        side="ru",
        note="Closed for repairs, says the regional government.",
        observed_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    before = history()

    result = checkpoints_record(june, source_url=FEED)

    assert 290 in result.superseded and 290 not in result.recorded
    assert history() == before + len(JUNE_CHANGES) - 1
    svetly.refresh_from_db()
    assert svetly.ru_status == "closed"


def test_airports_learn_whether_their_border_checkpoint_works(june):
    AirportFactory()  # Sheremetyevo, 0.7 km from its checkpoint
    AirportFactory(
        iata="UFA",
        name_en="Ufa",
        name_ru="Уфа",
        city_en="Ufa",
        city_ru="Уфа",
        latitude=54.5575,
        longitude=55.8744,
    )
    AirportFactory(
        iata="IST", city_ru="Стамбул", country="TR", latitude=41.26, longitude=28.74
    )

    result = checkpoints_record(june, source_url=FEED)

    assert result.airports_changed == 2
    airports = {a.iata: a for a in Airport.objects.all()}
    assert (
        airports["SVO"].border_checkpoint_id,
        airports["SVO"].border_checkpoint_working,
    ) == (196, True)
    # Ufa's official point is on the city, 34 km away: found by its name.
    assert airports["UFA"].border_checkpoint_id == 346
    assert airports["IST"].border_checkpoint_id is None
    assert checkpoints_record(june, source_url=FEED).airports_changed == 0
