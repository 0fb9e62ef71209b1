"""A wait passing a subscriber's threshold fires once going over and once coming
back under a margin below it, not on every report hovering around it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.events import events_from_update, wait_margin
from alerts.models import Delivery, Event, EventKind, WaitState
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox

pytestmark = pytest.mark.django_db


def report(crossing, minutes, at=None, mode="car"):
    return crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        waits={mode: minutes},
        observed_at=at,
    )


def fired(mode="car"):
    return [
        (e.payload["wait_minutes"], e.direction)
        for e in Event.objects.filter(
            kind=EventKind.WAIT_THRESHOLD, mode=mode
        ).order_by("id")
    ]


def test_the_margin_is_30_minutes_or_a_tenth_of_the_threshold():
    assert wait_margin(60) == 30
    assert wait_margin(300) == 30
    assert wait_margin(360) == 36
    assert wait_margin(605) == 61  # rounded up


def test_waits_hovering_over_six_hours_fire_over_once_and_back_under_once(
    crossing, dns, subscribe
):
    subscribe("https://hooks.partner.example/in", wait_threshold_minutes={"car": 360})
    for minutes in (350, 370, 365, 380, 340, 300):
        report(crossing, minutes)
        run_outbox()
    assert fired() == [(370, "over"), (300, "under")]
    under = Event.objects.get(direction="under")
    assert under.payload["back_under_below_minutes"] == 324
    assert under.payload["threshold_minutes"] == 360
    assert Delivery.objects.count() == 2


def test_a_first_report_already_over_fires_over(crossing, dns, subscribe):
    subscribe("https://hooks.partner.example/in", wait_threshold_minutes={"car": 360})
    report(crossing, 400)
    run_outbox()
    assert fired() == [(400, "over")]


def test_an_older_report_arriving_late_changes_nothing(crossing, dns, subscribe):
    subscribe("https://hooks.partner.example/in", wait_threshold_minutes={"car": 360})
    now = timezone.now()
    late = report(crossing, 300, at=now - timedelta(minutes=20))
    report(crossing, 400, at=now - timedelta(minutes=10))
    # The newer report's task runs first; the older one's after it.
    newer_only = [m for m in _pending() if m.kwargs["update_id"] != late.pk]
    _run(newer_only)
    events_from_update(update_id=late.pk)
    assert fired() == [(400, "over")]
    state = WaitState.objects.get()
    assert state.over


def test_each_mode_and_subscription_keeps_its_own_state(crossing, dns, subscribe):
    ana = subscribe(
        "https://hooks.partner.example/a", wait_threshold_minutes={"car": 360}
    )
    other = subscribe(
        "https://hooks.partner.example/b",
        wait_threshold_minutes={"car": 360, "bus": 120},
    )
    report(crossing, 400)
    report(crossing, 150, mode="bus")
    run_outbox()
    assert fired("car") == [(400, "over")]
    assert fired("bus") == [(150, "over")]
    # Both asked for "car over 360": one event, one delivery each.
    car = Event.objects.get(mode="car")
    assert set(
        Delivery.objects.filter(event=car).values_list("subscription", flat=True)
    ) == {
        ana.pk,
        other.pk,
    }
    assert WaitState.objects.count() == 3


def test_a_subscription_not_asking_for_wait_thresholds_gets_none(
    crossing, dns, subscribe
):
    subscribe(
        "https://hooks.partner.example/in",
        kinds=["status_change"],
    )
    report(crossing, 900)
    run_outbox()
    assert fired() == []


def _pending():
    from outbox.models import OutboxMessage

    return list(OutboxMessage.objects.filter(sent_at__isnull=True).order_by("id"))


def _run(messages):
    for message in messages:
        events_from_update(**message.kwargs)
