"""Two event tasks at once (two workers) never fire the same threshold twice:
the wait state is locked while it changes, and deliveries are claimed by one
conditional UPDATE."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from alerts import events
from alerts.delivery import _claim
from alerts.models import Delivery, Event, EventKind
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(*calls):
    errors = []

    def run(call):
        try:
            call()
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join(10)
    assert errors == []


def test_two_tasks_at_once_fire_over_once(crossing, dns, subscribe, monkeypatch):
    subscribe("https://hooks.partner.example/in", wait_threshold_minutes={"car": 360})
    now = timezone.now()
    before = crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        waits={"car": 300},
        observed_at=now - timedelta(minutes=3),
    )
    events.events_from_update(update_id=before.pk)  # the state row exists, under
    first = crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        waits={"car": 370},
        observed_at=now - timedelta(minutes=2),
    )
    second = crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        waits={"car": 380},
        observed_at=now - timedelta(minutes=1),
    )
    slow = threading.Event()
    newer = events._newer

    def held(update, state):
        # The first task holds the state a while: the second must wait for it,
        # not read "under" meanwhile.
        if not slow.is_set():
            slow.set()
            time.sleep(0.5)
        return newer(update, state)

    monkeypatch.setattr(events, "_newer", held)
    in_threads(
        lambda: events.events_from_update(update_id=first.pk),
        lambda: events.events_from_update(update_id=second.pk),
    )
    assert Event.objects.filter(kind=EventKind.WAIT_THRESHOLD).count() == 1


def test_of_two_runs_claiming_one_delivery_one_gets_it(crossing, dns, subscribe):
    subscribe("https://hooks.partner.example/in")
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="closed",
        source_url="https://t.me/exitwatch_border/101",
    )
    run_outbox(again=True)  # committed: the outbox has handed it to Redis
    delivery = Delivery.objects.get()
    now = timezone.now()
    claims = []
    in_threads(
        lambda: claims.append(_claim(delivery, now)),
        lambda: claims.append(_claim(delivery, now)),
    )
    assert sorted(c is not None for c in claims) == [False, True]
    assert Delivery.objects.get().attempts == 1
