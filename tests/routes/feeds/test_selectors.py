"""Which history rows are changes, when the feeds compare only the newest rows."""

import pytest

from routes.feeds.selectors import crossing_updates_newest, status_changes
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db


def test_a_slice_compares_its_first_claims_with_the_claims_before(crossing, record):
    record(crossing, 100, status="open", side="ru")  # before the slice
    record(crossing, 90, status="open", side="neighbour")  # before the slice
    repeat = record(crossing, 80, status="open", side="ru")
    closed = record(crossing, 70, status="closed", side="neighbour")
    newest = crossing_updates_newest()
    assert newest.id == closed.pk
    changes = status_changes(newest=newest, window=2)
    # The repeated "open" is no news, though the slice holds no claim before it.
    assert [row.pk for row in changes] == [closed.pk]
    assert (changes[0].neighbour_before, changes[0].previous_status) == (
        "open",
        "open",
    )
    assert changes[0].combined_after == "closed"
    assert repeat.pk not in [row.pk for row in status_changes(newest=newest)]


def test_a_first_claim_inside_the_slice_is_a_change_from_unknown(crossing, record):
    other = CrossingFactory()
    record(other, 100, status="open")
    first = record(crossing, 50, status="restricted", side="ru")
    changes = status_changes(newest=crossing_updates_newest(), window=1)
    assert [(row.pk, row.ru_before) for row in changes] == [(first.pk, "unknown")]


def test_rows_older_than_the_slice_are_left_out(crossing, record):
    old = record(crossing, 100, status="open")
    record(crossing, 90, waits={"car": 20})
    changes = status_changes(newest=crossing_updates_newest(), window=1)
    assert old.pk not in [row.pk for row in changes]
    assert status_changes(newest=None) == []
