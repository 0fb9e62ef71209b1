"""History rows cannot be changed or deleted: the database refuses, even raw SQL."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from routes.models import CrossingUpdate
from routes.selectors import crossing_state_at
from routes.services import crossing_update_record

pytestmark = pytest.mark.django_db

# A status is a claim and needs its source (or a reason in the note).
SOURCE = "https://t.me/exitwatch_border/101"


@pytest.fixture
def update(crossing):
    return crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", source_url=SOURCE
    )


def test_orm_update_of_history_fails(update):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CrossingUpdate.objects.filter(pk=update.pk).update(status="closed")
    update.refresh_from_db()
    assert update.status == "open"


def test_orm_delete_of_history_fails(update):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CrossingUpdate.objects.filter(pk=update.pk).delete()
    assert CrossingUpdate.objects.filter(pk=update.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE routes_crossingupdate SET note = 'rewritten' WHERE id = %s",
        "DELETE FROM routes_crossingupdate WHERE id = %s",
    ],
)
def test_raw_sql_cannot_rewrite_history(update, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [update.pk])
    update.refresh_from_db()
    assert update.note == ""


def test_a_crossing_with_history_cannot_be_deleted(crossing, update):
    with pytest.raises((ProtectedError, IntegrityError)), transaction.atomic():
        crossing.delete()
    # Django's foreign keys are checked at commit; check_constraints() is that check.
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("DELETE FROM routes_bordercrossing WHERE id = %s", [crossing.pk])
        connection.check_constraints()
    assert CrossingUpdate.objects.filter(pk=update.pk).exists()


def test_state_at_a_moment_is_the_newest_observation_before_it(crossing):
    t0 = timezone.now() - timedelta(days=2)
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        observed_at=t0,
        source_url=SOURCE,
    )
    crossing_update_record(
        crossing=crossing,
        source_kind="official",
        status="closed",
        observed_at=t0 + timedelta(hours=10),
        note="Closed by order of the border service",
    )
    assert crossing_state_at(crossing=crossing, at=t0 - timedelta(minutes=1)) is None
    assert crossing_state_at(crossing=crossing, at=t0).status == "open"
    assert (
        crossing_state_at(crossing=crossing, at=t0 + timedelta(hours=9)).status
        == "open"
    )
    assert (
        crossing_state_at(crossing=crossing, at=t0 + timedelta(hours=10)).status
        == "closed"
    )
    assert crossing_state_at(crossing=crossing, at=timezone.now()).status == "closed"
