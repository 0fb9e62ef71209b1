"""A status is a claim about a side of the border, and a claim needs its source."""

import pytest
from django.core.exceptions import ValidationError

from routes.models import CrossingUpdate
from routes.services import crossing_update_record

pytestmark = pytest.mark.django_db

SOURCE = "https://t.me/exitwatch_border/101"
NO_SOURCE = "Give a source URL or write in the note why the status changed."


@pytest.mark.parametrize("source_kind", ["staff", "official", "partner", "feed"])
@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_status_without_a_source_or_a_reason_is_refused(crossing, source_kind, note):
    with pytest.raises(ValidationError) as exc:
        crossing_update_record(
            crossing=crossing, source_kind=source_kind, status="closed", note=note
        )
    assert exc.value.message_dict == {"source_url": [NO_SOURCE]}
    assert CrossingUpdate.objects.count() == 0
    crossing.refresh_from_db()
    assert (crossing.status, crossing.version) == ("unknown", 1)


@pytest.mark.parametrize(
    "claim",
    [{"source_url": SOURCE}, {"note": "Closed by the governor's decree of 2 March"}],
)
def test_a_source_url_or_a_written_reason_is_enough(crossing, claim):
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="closed", **claim
    )
    crossing.refresh_from_db()
    assert crossing.status == "closed"


def test_a_travellers_status_rests_on_the_report_it_comes_from(crossing):
    crossing_update_record(crossing=crossing, source_kind="traveller", status="open")
    crossing.refresh_from_db()
    assert crossing.status == "open"


def test_waits_alone_claim_no_status_and_need_no_source(crossing):
    update = crossing_update_record(
        crossing=crossing, source_kind="staff", waits={"car": 40}
    )
    assert update.side == ""
    crossing.refresh_from_db()
    assert (crossing.status, crossing.wait_car) == ("unknown", 40)


def test_a_status_without_a_side_is_about_both_sides(crossing):
    update = crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", source_url=SOURCE
    )
    assert update.side == "both"
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status, crossing.status) == (
        "open",
        "open",
        "open",
    )


def test_the_crossing_is_as_strict_as_its_stricter_side(crossing):
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", source_url=SOURCE
    )
    crossing_update_record(
        crossing=crossing,
        source_kind="official",
        status="closed",
        side="neighbour",
        note="Georgia closed its side for repairs",
    )
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", side="ru", note="Moving"
    )
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status, crossing.status) == (
        "open",
        "closed",
        "closed",
    )
    assert crossing.neighbour_note == "Georgia closed its side for repairs"
