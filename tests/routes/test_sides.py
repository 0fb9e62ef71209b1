"""Two sides of every border: each keeps its own claim, the crossing the stricter."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from routes.models import CrossingUpdate, combined_status, stricter
from routes.selectors import crossings_at
from routes.services import crossing_update_record

pytestmark = pytest.mark.django_db
SOURCE = "https://example.org/statement"


def record(crossing, side, status, when, **extra):
    return crossing_update_record(
        crossing=crossing,
        source_kind=extra.pop("source_kind", "staff"),
        side=side,
        status=status,
        source_url=SOURCE,
        observed_at=when,
        **extra,
    )


def test_stricter_puts_unknown_between_open_and_restricted():
    assert stricter("open", "closed") == "closed"
    assert stricter("restricted", "open") == "restricted"
    assert stricter("open", "unknown") == "unknown"
    assert stricter("unknown", "restricted") == "restricted"
    assert stricter("open", "open") == "open"


def test_the_date_behind_a_combined_status():
    early, late = datetime(2023, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    # Open needs both sides: as old as the older claim.
    assert combined_status(("open", early), ("open", late)) == ("open", early)
    # Closed needs one side: as of that side's claim.
    assert combined_status(("open", late), ("closed", early)) == ("closed", early)
    # Unknown: the date of the last sourced fact.
    assert combined_status(("open", late), ("unknown", None)) == ("unknown", late)
    assert combined_status(("unknown", None), ("unknown", None)) == ("unknown", None)


def test_an_official_refresh_of_one_side_never_opens_what_the_other_closed(crossing):
    now = timezone.now()
    record(crossing, "neighbour", "closed", now - timedelta(days=400))
    record(crossing, "ru", "open", now - timedelta(days=2), source_kind="official")
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status) == ("open", "closed")
    assert crossing.status == "closed"
    assert crossing.status_observed_at == now - timedelta(days=400)


def test_each_side_keeps_its_newest_claim_whatever_the_order_they_arrive(crossing):
    now = timezone.now()
    record(crossing, "ru", "open", now - timedelta(days=1))
    # An older claim about the other side arrives later: it still applies there.
    update = record(crossing, "neighbour", "restricted", now - timedelta(days=30))
    assert update.applied
    # An older claim about the same side is history only.
    stale = record(crossing, "ru", "closed", now - timedelta(days=10))
    assert not stale.applied
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status, crossing.status) == (
        "open",
        "restricted",
        "restricted",
    )


def test_a_claim_about_both_sides_moves_both(crossing):
    record(crossing, "ru", "open", timezone.now() - timedelta(days=3))
    record(crossing, "both", "closed", timezone.now() - timedelta(days=1))
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status) == ("closed", "closed")


def test_a_status_needs_a_source_or_a_reason(crossing):
    with pytest.raises(ValidationError) as exc:
        crossing_update_record(crossing=crossing, source_kind="staff", status="open")
    assert "source_url" in exc.value.message_dict
    assert not CrossingUpdate.objects.exists()
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", note="Seen by a guard"
    )
    crossing.refresh_from_db()
    assert crossing.status == "open"


def test_facts_belong_to_a_side_and_are_checked(crossing):
    with pytest.raises(ValidationError) as exc:
        crossing_update_record(
            crossing=crossing,
            source_kind="official",
            status="open",
            source_url=SOURCE,
            facts={"bilateral": "yes", "colour": "red"},
        )
    assert "facts" in exc.value.message_dict
    assert not CrossingUpdate.objects.exists()


def test_the_map_point_follows_the_official_point_unless_set_apart(crossing):
    when = timezone.now() - timedelta(days=1)
    facts = {"latitude": 42.77, "longitude": 44.63, "bilateral": True}
    record(crossing, "ru", "open", when, facts=facts)
    crossing.refresh_from_db()
    assert (crossing.latitude, crossing.longitude) == (42.77, 44.63)
    assert crossing.bilateral is True
    crossing.coord_override = True
    crossing.save(update_fields=["coord_override"])
    moved = {"latitude": 43.0, "longitude": 45.0}
    record(crossing, "ru", "open", when + timedelta(hours=1), facts=moved)
    crossing.refresh_from_db()
    assert (crossing.latitude, crossing.longitude) == (42.77, 44.63)
    assert (crossing.official_latitude, crossing.official_longitude) == (43.0, 45.0)


def test_crossings_at_reads_each_side_as_it_stood(crossing):
    t = datetime(2023, 11, 1, tzinfo=UTC)
    record(crossing, "ru", "open", t, facts={"hours": "24 h", "bilateral": False})
    record(crossing, "neighbour", "open", t + timedelta(days=1))
    record(crossing, "neighbour", "closed", t + timedelta(days=29))
    crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        waits={"car": 90},
        observed_at=t + timedelta(days=40),
    )

    def at(moment):
        (found,) = crossings_at(moment)
        return found

    before = at(t - timedelta(days=1))
    assert (before.status, before.ru_status, before.status_observed_at) == (
        "unknown",
        "unknown",
        None,
    )
    assert before.bilateral is None and before.wait_car is None
    during = at(t + timedelta(days=2))
    assert (during.status, during.ru_status, during.neighbour_status) == (
        "open",
        "open",
        "open",
    )
    assert during.bilateral is False
    after = at(t + timedelta(days=41))
    assert (after.status, after.neighbour_status, after.wait_car) == (
        "closed",
        "closed",
        90,
    )
    # Nothing was saved: the crossing itself still holds today's state.
    crossing.refresh_from_db()
    assert crossing.status == "closed"
