"""The one write path: history, current state and snapshot version move together."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from exitwatch.lib.snapshot import snapshot_version
from routes.models import BorderCrossing, CrossingUpdate
from routes.services import (
    CrossingChangedError,
    crossing_edit_details,
    crossing_update_record,
)

pytestmark = pytest.mark.django_db

# A status is a claim and needs its source (or a reason in the note).
SOURCE = "https://t.me/exitwatch_border/101"


def test_an_update_appends_history_and_moves_current_state(
    crossing, editor, django_capture_on_commit_callbacks
):
    before = snapshot_version()
    with django_capture_on_commit_callbacks(execute=True):
        update = crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status="restricted",
            waits={"car": 24 * 60, "truck": 3000},
            queue_length=3500,
            note="Queue past Kazbegi",
            actor=editor,
        )
    crossing.refresh_from_db()
    assert crossing.status == "restricted"
    assert (crossing.wait_car, crossing.wait_truck, crossing.wait_bus) == (
        1440,
        3000,
        None,
    )
    assert crossing.queue_length == 3500
    assert crossing.last_actor_label == "nino"
    assert crossing.last_source_kind == "staff"
    assert crossing.version == 2
    assert update.previous_status == "unknown"
    assert update.actor == editor
    assert list(CrossingUpdate.objects.values_list("status", flat=True)) == [
        "restricted"
    ]
    assert snapshot_version() != before


def test_unreported_fields_keep_their_values_and_none_clears_a_wait(crossing):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        waits={"car": 90},
        source_url=SOURCE,
    )
    crossing_update_record(
        crossing=crossing, source_kind="traveller", waits={"bus": 30}
    )
    crossing.refresh_from_db()
    assert (crossing.status, crossing.wait_car, crossing.wait_bus) == ("open", 90, 30)
    crossing_update_record(crossing=crossing, source_kind="staff", waits={"car": None})
    crossing.refresh_from_db()
    assert crossing.wait_car is None
    assert crossing.updates.count() == 3


def test_a_late_observation_is_kept_but_does_not_replace_newer_state(crossing):
    now = timezone.now()
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="closed",
        observed_at=now,
        source_url=SOURCE,
    )
    late = crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        status="open",
        observed_at=now - timedelta(hours=2),
    )
    crossing.refresh_from_db()
    assert crossing.status == "closed"
    assert late.applied is False
    assert crossing.updates.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "ajar"}, "status"),
        ({"waits": {"car": -1}}, "wait_car"),
        ({"waits": {"car": 10081}}, "wait_car"),
        ({"waits": {"car": "lots"}}, "wait_car"),
        ({"waits": {"helicopter": 5}}, "waits"),
        ({"queue_length": -3}, "queue_length"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"observed_at": "future"}, "observed_at"),
    ],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_written(
    crossing, kwargs, field
):
    if kwargs.get("observed_at") == "future":
        kwargs["observed_at"] = timezone.now() + timedelta(hours=1)
    kwargs.setdefault("source_kind", "staff")
    with pytest.raises(ValidationError) as exc:
        crossing_update_record(crossing=crossing, **kwargs)
    assert field in exc.value.message_dict
    assert CrossingUpdate.objects.count() == 0
    crossing.refresh_from_db()
    assert (crossing.status, crossing.version) == ("unknown", 1)


def test_a_failure_mid_way_leaves_neither_history_nor_state(crossing):
    # History is written first; make the state update fail after it.
    with mock.patch.object(
        BorderCrossing, "save", side_effect=DatabaseError("disk full")
    ):
        with pytest.raises(DatabaseError):
            crossing_update_record(
                crossing=crossing,
                source_kind="staff",
                status="closed",
                source_url=SOURCE,
            )
    assert CrossingUpdate.objects.count() == 0
    crossing.refresh_from_db()
    assert crossing.status == "unknown"


def test_a_failure_does_not_bump_the_snapshot_version(
    crossing, django_capture_on_commit_callbacks
):
    before = snapshot_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with mock.patch.object(
            BorderCrossing, "save", side_effect=DatabaseError("boom")
        ):
            with pytest.raises(DatabaseError):
                crossing_update_record(
                    crossing=crossing,
                    source_kind="staff",
                    status="open",
                    source_url=SOURCE,
                )
    assert callbacks == []
    assert snapshot_version() == before


def test_an_update_against_an_old_version_is_refused(crossing):
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", source_url=SOURCE
    )
    with pytest.raises(CrossingChangedError):
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status="closed",
            source_url=SOURCE,
            expected_version=1,
        )
    crossing.refresh_from_db()
    assert crossing.status == "open"
    assert crossing.updates.count() == 1


def test_detail_edits_cannot_touch_state_fields(crossing):
    with pytest.raises(ValidationError) as exc:
        crossing_edit_details(crossing=crossing, changes={"status": "open"})
    assert "status" in exc.value.message_dict
    crossing_edit_details(crossing=crossing, changes={"hours": "24h"})
    crossing.refresh_from_db()
    assert (crossing.hours, crossing.status, crossing.version) == ("24h", "unknown", 2)
