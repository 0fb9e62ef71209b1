"""The data `make run` loads, checked against the official list and the dated
story: every land checkpoint facing a neighbour is on the map at its official
point, and the map on any date gives sourced statuses."""

import json

import pytest

from exitwatch.lib.geo import great_circle_km
from routes.checkpoints.sources.rosgranstroy import parse
from routes.mapdoc.seeding import OFFICIAL_LIST_DIR
from routes.models import BorderCrossing
from routes.seeding import SEED_DIR
from tests.support.seeded import seed_copy

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/"
JUNE = SEED_DIR / OFFICIAL_LIST_DIR / "map_data-2026-06-08.json"
GRONOWO, GOLDAP, NARVA = "mamonovo", "gusev", "ivangorod"


@pytest.fixture
def loaded(db):
    seed_copy()


def test_every_official_land_checkpoint_facing_a_neighbour_is_on_the_map(loaded):
    facing = [c for c in parse(JUNE.read_bytes()) if c.is_land and c.foreign_country]
    assert len(facing) == 124
    crossings = BorderCrossing.objects.in_bulk(
        [c.official_id for c in facing], field_name="official_id"
    )
    for checkpoint in facing:
        crossing = crossings[checkpoint.official_id]
        if crossing.coord_override:
            assert len(crossing.coord_source) > 40, crossing.slug  # says why
            continue
        assert checkpoint.latitude is not None, crossing.slug
        distance = great_circle_km(
            crossing.latitude,
            crossing.longitude,
            checkpoint.latitude,
            checkpoint.longitude,
        )
        assert distance <= 2, (crossing.slug, round(distance, 1))


def statuses(client, at):
    response = client.get(URL, {"at": at})
    assert response.status_code == 200
    features = json.loads(response.content)["crossings"]["features"]
    return {f["id"]: f["properties"] for f in features}


def test_the_map_on_a_date_gives_true_sourced_statuses(client, loaded):
    # One load for every check: the seed takes seconds.
    for at in ("2022-09-25T12:00:00Z", "2026-06-01T12:00:00Z"):
        crossings = statuses(client, at)
        assert crossings[GRONOWO]["status"] == "closed", at
        assert crossings[GOLDAP]["status"] == "closed", at
        for slug, props in crossings.items():
            if props["status"] == "unknown":
                continue
            # A known status rests on a side's claim with a source and a date.
            sides = props["sides"].values()
            claims = [s for s in sides if s["status"] == props["status"]]
            assert claims, (at, slug)
            for claim in claims:
                assert claim["source_url"].startswith(("https://", "http://")), slug
                assert claim["observed_at"] <= at, (at, slug)

    september = statuses(client, "2022-09-25T12:00:00Z")
    assert september["torfyanovka"]["status"] == "open"
    assert september["verkhny-lars"]["status"] == "open"

    june = statuses(client, "2026-06-01T12:00:00Z")
    assert june[NARVA]["status"] == "restricted"
    assert june[NARVA]["sides"]["ru"]["status"] == "open"  # the official list
    finland = [p for p in june.values() if p["country"] == "FI"]
    assert len(finland) == 10
    # The Russian side's list says most are working; Finland's side is shut.
    assert {p["status"] for p in finland} == {"closed"}
