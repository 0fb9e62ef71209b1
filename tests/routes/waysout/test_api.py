"""GET /api/v1/ways-out/: one traveller's ways out, their reasons and figures."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

from routes.services import crossing_update_record
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/ways-out/"


def test_a_crossing_open_to_the_traveller_comes_with_its_rule_wait_and_estimate(
    client, orenburg, kazakh_crossing
):
    crossing_update_record(
        crossing=kazakh_crossing,
        source_kind="partner",
        waits={"car": 90},
        source_url="https://example.org/wait",
    )
    response = client.get(
        URL, {"from": "orenburg", "document": "internal", "mode": "car"}
    )
    assert response.status_code == 200, response.content
    assert "private" in response["Cache-Control"]
    answer = response.json()
    (way,) = [w for w in answer["ways"] if w["crossing"]["slug"] == "orsk-road"]
    assert way["open_to_you"] is True
    assert way["destination_country"] == "KZ"
    assert way["entry_rule"]["internal_passport_ok"] is True
    assert way["wait"]["minutes"] == 90 and way["wait"]["age_minutes"] is not None
    drive, wait = way["estimate"]["parts"]
    assert (
        drive["basis"] == "estimate" and drive["detour_factor"] and drive["speed_kmh"]
    )
    assert wait == {"what": "wait", "hours": 1.5, "basis": "reported"}
    assert way["estimate"]["hours"] == pytest.approx(drive["hours"] + 1.5, abs=0.11)
    assert (
        way["estimate"]["low_hours"]
        < way["estimate"]["hours"]
        < way["estimate"]["high_hours"]
    )
    assert answer["open_count"] == 1


def test_a_closed_side_shuts_the_way_with_a_dated_sourced_reason_in_either_language(
    client, orenburg, kazakh_crossing
):
    crossing_update_record(
        crossing=kazakh_crossing,
        side="neighbour",
        status="closed",
        source_kind="official",
        source_url="https://example.org/closed",
        observed_at=datetime(2025, 8, 4, tzinfo=timezone(timedelta(hours=5))),
    )
    for lang, words in (
        ("en", "Kazakhstan admits no one here since 4 Aug 2025."),
        ("ru", "Казахстан"),
    ):
        answer = client.get(URL, {"from": "orenburg", "lang": lang}).json()
        (way,) = answer["ways"]
        assert way["open_to_you"] is False
        (closed,) = [r for r in way["reasons"] if r["blocks"]]
        assert closed["source_url"] == "https://example.org/closed"
        assert words in closed["text"]
    # Before it closed, the same way was open.
    before = client.get(URL, {"from": "orenburg", "at": "2025-08-01T12:00Z"}).json()
    assert before["ways"][0]["open_to_you"] is True
    assert before["at"] == "2025-08-01T12:00:00Z"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"from": "atlantis"}, "from"),
        ({"from": "orenburg", "citizenship": "martian"}, "citizenship"),
        (
            {"from": "orenburg", "citizenship": "other", "document": "internal"},
            "document",
        ),
        ({"from": "orenburg", "document": "internal", "visa": "schengen"}, "visa"),
        ({"from": "orenburg", "mode": "teleport"}, "mode"),
        ({"from": "orenburg", "at": "2999-01-01"}, "at"),
        ({"from": "orenburg", "at": "yesterday"}, "at"),
        ({"from": "orenburg", "lang": "de"}, "lang"),
        ({"from": "orenburg", "form": "orenburg"}, "form"),
    ],
)
def test_a_wrong_question_is_a_400_naming_the_field(client, orenburg, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert list(response.json()) == [field] or field in response.json()


def test_the_profile_is_not_logged(client, orenburg, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(
        URL, {"from": "orenburg", "citizenship": "other", "document": "internal"}
    )
    client.get(URL, {"from": "orenburg", "document": "internal", "visa": "schengen"})
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "internal" not in logged and "schengen" not in logged


def test_the_queries_do_not_grow_with_the_crossings(
    client, orenburg, kazakh_crossing, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from routes.waysout.world import world_forget

    def count() -> int:
        world_forget()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"from": "orenburg"}).status_code == 200
        return len(captured)

    count()  # the places and the content types are read once per process
    few = count()
    for n in range(30):
        CrossingFactory(slug=f"extra-{n}", country="MN", longitude=90 + n * 0.1)
    from exitwatch.lib.snapshot import snapshot_bump

    snapshot_bump()
    many = count()
    assert many == few
    # Once the moment's shared facts are built, an answer reads only flights.
    with CaptureQueriesContext(connection) as captured:
        client.get(URL, {"from": "orenburg", "mode": "bus"})
    assert len(captured) <= 1
