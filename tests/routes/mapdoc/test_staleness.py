"""Stale crossings fade on the map without anything being written to them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from exitwatch.lib.snapshot import snapshot_version
from routes.mapdoc.staleness import crossings_mark_stale
from routes.mapdoc.tasks import mark_stale
from routes.models import BorderCrossing, CrossingUpdate
from routes.services import crossing_update_record
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lars_and_verkhny(db):
    now = timezone.now()
    lars = CrossingFactory(slug="upper-lars", stale_after_minutes=60)
    kazbegi = CrossingFactory(slug="verkhny-lars-trucks", stale_after_minutes=360)
    crossing_update_record(
        crossing=lars, source_kind="staff", status="open", note="Seen", observed_at=now
    )
    crossing_update_record(
        crossing=kazbegi,
        source_kind="staff",
        status="open",
        note="Seen",
        observed_at=now,
    )
    return lars, kazbegi


def state_of_crossings():
    return list(BorderCrossing.objects.order_by("pk").values())


def test_the_map_is_refreshed_when_a_crossing_goes_stale(lars_and_verkhny):
    now = timezone.now()
    crossings_mark_stale(now=now)
    version = snapshot_version()
    assert crossings_mark_stale(now=now).bumped is False
    assert snapshot_version() == version
    later = crossings_mark_stale(now=now + timedelta(minutes=61))
    assert (later.stale, later.newly_stale, later.bumped) == (1, 1, True)
    assert snapshot_version() != version


def test_marking_stale_never_writes_to_a_crossing_or_its_history(lars_and_verkhny):
    before = state_of_crossings()
    updates = CrossingUpdate.objects.count()
    crossings_mark_stale(now=timezone.now() + timedelta(days=2))
    assert state_of_crossings() == before
    assert CrossingUpdate.objects.count() == updates
    assert set(BorderCrossing.objects.stale(timezone.now() + timedelta(days=2))) == set(
        BorderCrossing.objects.all()
    )


def test_a_fresh_report_takes_a_crossing_out_of_the_stale_set(db):
    now = timezone.now()
    lars = CrossingFactory(slug="upper-lars", stale_after_minutes=60)
    crossing_update_record(
        crossing=lars,
        source_kind="staff",
        status="open",
        note="Seen open",
        observed_at=now - timedelta(minutes=90),
    )
    assert crossings_mark_stale(now=now).stale == 1
    crossing_update_record(crossing=lars, source_kind="traveller", waits={"car": 30})
    result = crossings_mark_stale()
    assert (result.stale, result.no_longer_stale, result.bumped) == (0, 1, True)


def test_the_task_and_the_command_do_the_same(lars_and_verkhny, capsys):
    assert mark_stale.apply().get()["stale"] == 0
    call_command("mark_stale")
    assert capsys.readouterr().out == (
        "0 crossings stale (0 newly, 0 no longer); map unchanged\n"
    )
