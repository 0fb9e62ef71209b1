"""The shipped seed: real, sourced, complete enough, and idempotent."""

import json
import shutil
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from routes.flights.models import Airport
from routes.mapdoc.seeding import seed_load
from routes.models import BorderCrossing, CrossingUpdate, ExitRoute
from routes.seeding import SEED_DIR

pytestmark = pytest.mark.django_db

REQUIRED_AIRPORTS = (
    "SVO DME VKO LED KZN SVX OVB AER KUF ROV MRV IST DXB EVN TBS ALA NQZ TAS FRU "
    "BEG BAK TLV AUH"
).split()
NEIGHBOURS = {"NO", "FI", "EE", "LV", "LT", "PL", "BY", "GE", "AZ", "KZ", "MN", "CN"}


def snapshot_rows() -> dict:
    return {
        "crossings": list(BorderCrossing.objects.order_by("slug").values()),
        "airports": list(Airport.objects.order_by("iata").values()),
        "routes": list(ExitRoute.objects.order_by("slug").values()),
        "updates": list(CrossingUpdate.objects.order_by("id").values()),
    }


def test_seed_loads_every_neighbour_airport_and_route():
    call_command("seed", stdout=StringIO())
    countries = Counter(BorderCrossing.objects.values_list("country", flat=True))
    assert BorderCrossing.objects.count() >= 40
    assert set(countries) >= NEIGHBOURS
    assert set(REQUIRED_AIRPORTS) <= set(Airport.objects.values_list("iata", flat=True))
    assert ExitRoute.objects.count() >= 10


def test_a_second_seed_changes_nothing():
    call_command("seed", stdout=StringIO())
    first = snapshot_rows()
    out = StringIO()
    call_command("seed", stdout=out)
    assert snapshot_rows() == first
    assert " 0 created, 0 updated" in out.getvalue()


def test_every_seeded_row_is_sourced_and_named_in_both_languages():
    seed_load()
    for crossing in BorderCrossing.objects.all():
        assert crossing.source.startswith(("https://", "http://")), crossing.slug
        assert crossing.name_ru and crossing.neighbour_name_ru, crossing.slug
        assert crossing.modes, crossing.slug
    for airport in Airport.objects.all():
        assert airport.source.startswith(("https://", "http://")), airport.iata
    for route in ExitRoute.objects.select_related("crossing"):
        assert route.source.startswith(("https://", "http://")), route.slug
        point = [route.crossing.longitude, route.crossing.latitude]
        assert point in route.path, f"{route.slug} does not pass its crossing"


def test_a_checked_crossing_point_names_where_its_coordinates_come_from():
    # coord_source is seed-only provenance (the model keeps one reference URL,
    # the crossing's own `source`); it must still be a real link when present.
    rows = json.loads((SEED_DIR / "crossings.json").read_text(encoding="utf-8"))
    checked = [row for row in rows if "coord_source" in row]
    assert checked
    for row in checked:
        assert row["coord_source"].startswith(("https://", "http://")), row["slug"]


def test_seeded_statuses_are_sourced_facts_not_guesses():
    seed_load()
    for crossing in BorderCrossing.objects.exclude(status="unknown"):
        # The seed's own 2022 facts, then the official list's Russian side.
        for update in crossing.updates.all():
            assert update.source_kind == "official"
            assert update.source_url.startswith(("https://", "http://")), crossing.slug
            if update.actor_label == "seed":
                assert update.note, crossing.slug
                assert update.observed_at.year == 2022, crossing.slug
            else:
                assert update.actor_label == "Rosgranstroy", crossing.slug
                assert update.side == "ru", crossing.slug
                assert update.source_url == "https://rosgranstroy.ru/api/map_data"


def test_a_bad_seed_file_fails_with_one_line_and_writes_nothing(tmp_path):
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    rows = json.loads((folder / "exit_routes.json").read_text())
    rows[-1]["crossing"] = "no-such-crossing"
    (folder / "exit_routes.json").write_text(json.dumps(rows))

    with pytest.raises(CommandError) as exc:
        call_command("seed", "--dir", str(folder), stdout=StringIO())

    assert "no-such-crossing" in str(exc.value)
    assert "\n" not in str(exc.value)
    assert BorderCrossing.objects.count() == 0
    assert CrossingUpdate.objects.count() == 0


def test_a_row_with_impossible_coordinates_is_refused(tmp_path):
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    rows = json.loads((folder / "crossings.json").read_text())
    rows[0]["lat"] = 123.0
    (folder / "crossings.json").write_text(json.dumps(rows))
    with pytest.raises(CommandError, match="Latitude must be between -90 and 90"):
        call_command("seed", "--dir", str(folder), stdout=StringIO())
    assert Airport.objects.count() == 0
