"""A delivery POSTs the event signed, retries what may pass with backoff, fails
what will not, and gives up after a day."""

import json
import random
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.delivery import delivery_attempt, delivery_body, retry_delay
from alerts.models import Delivery, DeliveryState, Event, PauseReason
from alerts.signing import signature_valid
from outbox.models import OutboxMessage
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox
from tests.support.ports import worker_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(crossing, local_webhooks, receiver, subscribe):
    """Ana's endpoint on loopback, and one status change on its way to it."""
    subscribe(receiver.url())
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="closed",
        source_url="https://t.me/exitwatch_border/101",
    )
    run_outbox()
    return Delivery.objects.select_related("subscription", "event").get()


def test_a_delivery_posts_the_event_signed_as_standard_webhooks_says(
    delivery, receiver
):
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    [request] = receiver.received
    event, subscription = delivery.event, delivery.subscription
    assert request.path == "/hooks/exitwatch"
    assert request.headers["webhook-id"] == event.webhook_id
    assert request.headers["content-type"] == "application/json"
    timestamp = int(request.headers["webhook-timestamp"])
    assert abs(timestamp - time.time()) < 60
    assert signature_valid(
        secret=subscription.secret,
        msg_id=request.headers["webhook-id"],
        timestamp=timestamp,
        body=request.body,
        header=request.headers["webhook-signature"],
    )
    body = json.loads(request.body)
    assert body["type"] == "crossing.status_changed"
    assert body["data"]["id"] == event.webhook_id
    assert body["data"]["status"] == {"old": "unknown", "new": "closed"}
    assert body["data"]["crossing"]["slug"] == "upper-lars"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
        DeliveryState.DELIVERED,
        1,
        204,
    )
    assert delivery.next_attempt_at is None and delivery.delivered_at is not None
    delivery.subscription.refresh_from_db()
    assert delivery.subscription.last_success_at == delivery.delivered_at


def test_a_5xx_is_retried_with_backoff_then_delivered_under_the_same_id(
    delivery, receiver
):
    receiver.answer(503)
    now = timezone.now()
    assert delivery_attempt(delivery_id=delivery.pk, now=now) == "retry"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
        DeliveryState.PENDING,
        1,
        503,
    )
    assert delivery.last_error == "HTTP 503"
    wait = delivery.next_attempt_at - now
    assert timedelta(seconds=24) <= wait <= timedelta(seconds=36)
    assert delivery.subscription.__class__.objects.get().failing_since == now

    assert delivery_attempt(delivery_id=delivery.pk, now=now) == "skipped"  # not due
    later = delivery.next_attempt_at
    assert delivery_attempt(delivery_id=delivery.pk, now=later) == "delivered"
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)
    assert delivery.subscription.__class__.objects.get().failing_since is None


def test_a_429_with_retry_after_waits_as_long_as_asked(delivery, receiver):
    receiver.answer((429, {"Retry-After": "3600"}))
    now = timezone.now()
    assert delivery_attempt(delivery_id=delivery.pk, now=now) == "retry"
    delivery.refresh_from_db()
    assert delivery.last_status_code == 429
    assert delivery.next_attempt_at - now == timedelta(hours=1)


def test_a_receiver_that_does_not_answer_is_retried(delivery):
    closed = worker_port(8721)  # nobody listens there
    delivery.subscription.__class__.objects.update(
        target_url=f"http://127.0.0.1:{closed}/hook"
    )
    assert delivery_attempt(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert "could not connect" in delivery.last_error
    assert delivery.last_status_code is None


def test_a_4xx_fails_the_delivery_without_retrying(delivery, receiver):
    receiver.answer(400)
    assert delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status_code) == (DeliveryState.FAILED, 400)
    assert delivery.next_attempt_at is None
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 1


def test_410_gone_pauses_the_subscription_and_tells_its_owner(delivery, receiver):
    OutboxMessage.objects.all().delete()
    receiver.answer(410)
    assert delivery_attempt(delivery_id=delivery.pk) == "gone"
    subscription = delivery.subscription.__class__.objects.get()
    assert subscription.paused and subscription.pause_reason == PauseReason.GONE
    [notice] = OutboxMessage.objects.all()
    assert notice.task == "alerts.tasks.notify_subscription_paused"


def test_it_gives_up_a_day_after_the_event(delivery, receiver):
    receiver.answer(*[500] * 50)
    now = delivery.created_at
    outcomes = []
    while (outcome := delivery_attempt(delivery_id=delivery.pk, now=now)) == "retry":
        outcomes.append(outcome)
        now = Delivery.objects.get().next_attempt_at
    delivery.refresh_from_db()
    assert outcome == "failed"
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error.startswith("gave up")
    # 30 s doubling to 6 h: about a dozen attempts in the day, none after it.
    assert 10 <= delivery.attempts <= 16
    assert delivery.last_attempt_at < delivery.created_at + timedelta(hours=24)
    assert len(receiver.received) == delivery.attempts


def test_a_delivery_older_than_a_day_is_not_sent(delivery, receiver):
    late = delivery.created_at + timedelta(hours=24, seconds=1)
    assert delivery_attempt(delivery_id=delivery.pk, now=late) == "failed"
    assert receiver.received == []


def test_a_paused_subscription_is_not_sent_to(delivery, receiver):
    delivery.subscription.__class__.objects.update(paused_at=timezone.now())
    assert delivery_attempt(delivery_id=delivery.pk) == "paused"
    assert receiver.received == []


def test_the_retry_delay_doubles_from_30_seconds_to_6_hours_with_jitter():
    steady = random.Random(1)
    delays = [retry_delay(n, rng=steady) for n in range(1, 14)]
    for n, delay in enumerate(delays, start=1):
        base = min(timedelta(seconds=30) * 2 ** (n - 1), timedelta(hours=6))
        assert base * 0.8 <= delay <= base * 1.2
    assert delays[-1] >= timedelta(hours=4, minutes=48)


def test_the_body_is_compact_json_in_the_standard_envelope(delivery):
    event = Event.objects.get()
    body = delivery_body(event)
    assert body == delivery_body(Event.objects.get())
    document = json.loads(body)
    assert list(document) == ["type", "timestamp", "data"]
    assert b", " not in body and b": " not in body
    assert document["timestamp"].endswith("Z")
