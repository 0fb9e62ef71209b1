"""The shipped access rules: sourced, dated, loaded once, and right on a date."""

import json
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from routes.access.models import CrossingAccessRule
from routes.access.seeding import AccessLoadError, access_rules_load
from routes.access.selectors import access_at
from routes.models import BorderCrossing
from routes.seeding import SEED_DIR
from tests.factories import CrossingFactory
from tests.support.seeded import seed_copy

pytestmark = pytest.mark.django_db
RULES = SEED_DIR / "access" / "rules.json"
OFFICIAL = "https://rosgranstroy.ru/api/map_data"


def side(slug: str, name: str, day: str):
    crossing = BorderCrossing.objects.get(slug=slug)
    at = datetime.fromisoformat(f"{day}T12:00:00+00:00")
    return access_at(at, crossings=[crossing.pk]).get(crossing.pk, {}).get(name)


def test_every_shipped_row_is_dated_sourced_and_explained():
    document = json.loads(RULES.read_text(encoding="utf-8"))
    slugs = {
        row["slug"] for row in json.loads((SEED_DIR / "crossings.json").read_text())
    }
    assert document["baseline"]["source_url"] == OFFICIAL
    for row in document["rules"]:
        assert set(row["crossings"]) <= slugs, row["crossings"]
        assert row["source_url"].startswith(("https://", "http://"))
        assert datetime.fromisoformat(row["valid_from"]).tzinfo is not None
        assert row["why"] and row["note_en"] and row["note_ru"]


def test_the_seed_answers_who_may_cross_where_on_a_date():
    seed_copy()
    storskog = side("borisoglebsk", "neighbour", "2026-06-01")
    assert storskog.vehicles_refused == "ru-registered"
    assert storskog.source_url == "https://tass.com/economy/1682569"
    assert side("borisoglebsk", "neighbour", "2023-09-30") is None  # not yet
    narva = side("ivangorod", "neighbour", "2025-06-01")
    assert narva.modes == frozenset({"foot"})
    assert (narva.hours, narva.vehicles_refused) == ("07:00–23:00", "ru-registered")
    assert side("ivangorod", "neighbour", "2024-03-01").hours == ""
    # Latvia: motor vehicles only from March 2025.
    terehova = side("burachki", "neighbour", "2025-06-01")
    assert terehova.modes == frozenset({"car", "bus"})
    assert side("burachki", "neighbour", "2024-06-01").modes is None
    # Syrym: buses only in August 2025, nobody from September.
    assert side("mashtakovo", "neighbour", "2025-08-15").modes == frozenset({"bus"})
    closed = side("mashtakovo", "neighbour", "2025-10-01")
    assert (closed.who, closed.modes) == ("nobody", frozenset())
    # The Russian side from the official list, dated by the copy.
    lars = side("verkhny-lars", "ru", "2026-03-01")
    assert (lars.who, lars.modes, lars.hours) == (
        "anyone",
        frozenset({"car", "bus"}),
        "24 h",
    )
    assert (lars.source_kind, lars.source_url) == ("official", OFFICIAL)
    assert lars.valid_from.date().isoformat() == "2026-01-24"
    assert side("verkhny-lars", "ru", "2026-01-01") is None
    assert side("vishnevka", "ru", "2026-03-01").who == "bilateral"
    freight = side("olochi", "ru", "2026-03-01")
    assert (freight.who, freight.modes) == ("nobody", frozenset())
    assert side("blagoveshchensk-1-pedestrian", "ru", "2026-03-01").modes == {"foot"}
    # The later copy is recorded only where it changes something.
    assert side("svetlyy", "ru", "2026-03-01").who == "anyone"
    assert side("svetlyy", "ru", "2026-07-01").who == "bilateral"
    assert not CrossingAccessRule.objects.filter(
        crossing__slug="verkhny-lars", valid_from__date="2026-06-08"
    ).exists()
    # A curated Russian-side rule before the list yields to it.
    assert side("mondy", "ru", "2023-01-01").who == "bilateral"
    # Every crossing on the official list has its Russian side.
    listed = BorderCrossing.objects.exclude(official_id=None).count()
    assert len(access_at(datetime.fromisoformat("2026-03-01T00:00:00+00:00"))) == listed


def test_a_second_load_records_nothing():
    seed_copy()
    count = CrossingAccessRule.objects.count()
    out = StringIO()
    call_command("load_access_rules", "--from", str(RULES), stdout=out)
    assert out.getvalue().startswith("access rules: 0 recorded,")
    assert CrossingAccessRule.objects.count() == count


@pytest.mark.parametrize(
    "rules, message",
    [
        ({"rules": [{"crossings": ["nowhere"]}]}, "missing"),
        (
            [
                {
                    "crossings": ["nowhere"],
                    "side": "ru",
                    "valid_from": "2024-02-01T00:00:00+03:00",
                    "modes": ["foot"],
                    "who": "",
                    "source_url": "https://example.org/",
                    "why": "test",
                }
            ],
            "unknown crossing 'nowhere'",
        ),
        (
            [
                {
                    "crossings": ["somewhere"],
                    "side": "ru",
                    "valid_from": "2024-02-01",
                    "modes": ["foot"],
                    "who": "",
                    "source_url": "https://example.org/",
                    "why": "test",
                }
            ],
            "valid_from must be ISO 8601 with a zone",
        ),
        (
            [
                {
                    "crossings": ["somewhere"],
                    "side": "ru",
                    "valid_from": "2024-02-01T00:00:00+03:00",
                    "modes": ["swim"],
                    "who": "",
                    "source_url": "https://example.org/",
                    "why": "test",
                }
            ],
            "Unknown way to cross",
        ),
        ({"rules": [], "extra": 1}, "expected an array"),
        ({"baseline": {"official_lists": "nowhere.json"}}, "baseline needs"),
    ],
)
def test_a_bad_file_stops_the_load_with_one_line_and_writes_nothing(
    tmp_path, rules, message
):
    CrossingFactory(slug="somewhere")
    path = tmp_path / "rules.json"
    good = {
        "crossings": ["somewhere"],
        "side": "neighbour",
        "valid_from": "2023-09-13T10:00:00+03:00",
        "modes": None,
        "who": "",
        "vehicles_refused": "ru-registered",
        "source_url": "https://example.org/good",
        "why": "test",
    }
    if isinstance(rules, list):
        rules = [good, *rules]
    path.write_text(json.dumps(rules))
    with pytest.raises(CommandError) as exc:
        call_command("load_access_rules", "--from", str(path), stdout=StringIO())
    assert message in str(exc.value) and "\n" not in str(exc.value)
    assert not CrossingAccessRule.objects.exists()
    with pytest.raises(AccessLoadError, match="no such file"):
        access_rules_load(tmp_path / "missing.json")
