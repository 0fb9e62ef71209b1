"""The shipped seed: real, sourced, complete enough, and idempotent."""

import json
import shutil
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from routes.flights.models import Airport
from routes.models import BorderCrossing, CrossingUpdate, ExitRoute
from routes.seeding import SEED_DIR
from tests.factories import CrossingFactory
from tests.support.seeded import seed_copy

pytestmark = pytest.mark.django_db

REQUIRED_AIRPORTS = (
    "SVO DME VKO LED KZN SVX OVB AER KUF ROV MRV IST DXB EVN TBS ALA NQZ TAS FRU "
    "BEG BAK TLV AUH"
).split()
NEIGHBOURS = {
    *("NO", "FI", "EE", "LV", "LT", "PL", "BY", "GE", "AZ", "KZ", "MN", "CN", "UA"),
}


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
    # Every land checkpoint on the official list that faces a neighbour, and
    # the two roads into Belarus the list lacks.
    assert BorderCrossing.objects.exclude(official_id=None).count() == 124
    assert BorderCrossing.objects.filter(country="BY").count() == 2
    assert set(countries) >= NEIGHBOURS
    assert set(REQUIRED_AIRPORTS) <= set(Airport.objects.values_list("iata", flat=True))
    assert ExitRoute.objects.count() >= 10


def test_a_second_seed_changes_nothing():
    seed_copy()
    first = snapshot_rows()
    out = StringIO()
    call_command("seed", stdout=out)
    assert snapshot_rows() == first
    assert " 0 created, 0 updated" in out.getvalue()


def test_every_seeded_row_is_sourced_and_named_in_both_languages():
    seed_copy()
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
    # Every point says where it comes from: the official list's, or why not.
    for crossing in BorderCrossing.objects.all():
        assert crossing.coord_source, crossing.slug
        if crossing.official_id is not None and not crossing.coord_override:
            assert "Rosgranstroy" in crossing.coord_source, crossing.slug
    # De facto borders are labelled, and say Georgia treats entry as illegal.
    adler = BorderCrossing.objects.get(official_id=5)
    zaramag = BorderCrossing.objects.get(slug="nizhniy-zaramag")
    assert (adler.de_facto, zaramag.de_facto) == ("abkhazia", "south-ossetia")
    for crossing in (adler, zaramag):
        assert crossing.country.code == "GE"
        assert "illegal" in crossing.restrictions_en, crossing.slug


def test_every_status_rests_on_dated_sourced_claims():
    seed_copy()
    story = json.loads((SEED_DIR / "story.json").read_text(encoding="utf-8"))
    assert len(story) >= 100
    for crossing in BorderCrossing.objects.exclude(status="unknown"):
        claims = crossing.updates.exclude(side="")
        assert claims.exists(), crossing.slug
        for claim in claims:
            assert claim.source_url.startswith(("https://", "http://")), crossing.slug
            # The official list's entry is its own source; anything else says
            # what happened.
            assert claim.note or claim.source_kind == "official", crossing.slug
    # The story is recorded as what it is: staff curating dated sources, each
    # about one side, never a 2022 fact carried into today.
    from_story = CrossingUpdate.objects.filter(actor_label="seed: dated story")
    assert from_story.count() >= len(story)
    assert set(from_story.values_list("side", flat=True)) == {"ru", "neighbour"}
    assert from_story.exclude(note_ru="").count() == from_story.count()


def test_a_story_event_about_an_unknown_crossing_fails_and_writes_nothing(tmp_path):
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    story = json.loads((folder / "story.json").read_text())
    story[-1]["crossings"] = ["no-such-crossing"]
    (folder / "story.json").write_text(json.dumps(story))

    with pytest.raises(CommandError) as exc:
        call_command("seed", "--dir", str(folder), stdout=StringIO())

    assert "no-such-crossing" in str(exc.value)
    assert "\n" not in str(exc.value)
    assert BorderCrossing.objects.count() == 0
    assert CrossingUpdate.objects.count() == 0


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


def test_the_seeds_copy_is_never_laid_over_rows_of_a_tests_own():
    # Whether or not this process holds a copy yet, a crossing made first
    # means the real load: the seeded crossings beside it, none twice.
    CrossingFactory(slug="test-only-crossing")
    seed_copy()
    slugs = list(BorderCrossing.objects.values_list("slug", flat=True))
    assert "test-only-crossing" in slugs and "verkhny-lars" in slugs
    assert len(slugs) == len(set(slugs)) == 127
