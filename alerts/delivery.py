"""Sending one delivery: claim it, sign it, POST it, record how it went.

The schedule lives in the row, not in the broker: `next_attempt_at` says when
the next attempt is due, a delivery task tries it as soon as its event is made,
and the periodic sweep (alerts.tasks.send_due_webhooks, every 30 s; also `manage.py
send_due_webhooks`) sends whatever is due and was not sent: a retry whose task
was lost, a task that could not be queued while Redis was down. The delivery
log the API shows is then simply the row. (A Celery countdown would hold a retry
hours ahead in a worker's memory, and Redis redelivers anything unacknowledged
past its visibility timeout, an hour: the retry would run twice.)

Claiming is one conditional UPDATE on the row (pending, due, unclaimed or its
claim expired): of two workers handed the same delivery, one sends. A claim
lasts past the task's hard time limit, so it never expires under a run that is
still allowed to work.

Retries (network errors, DNS failures, 5xx, 429): 30 s after the first attempt,
then doubling (1, 2, 4 … minutes) up to 6 hours between attempts, each delay
±20 % at random so that receivers coming back are not hit in step; a longer
Retry-After from the receiver is honoured. An attempt that would come later
than WEBHOOK_GIVE_UP_HOURS after the event is not made: the delivery fails.
A 3xx or 4xx fails the delivery at once; 410 Gone also pauses the subscription.
"""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from alerts.models import (
    EVENT_TYPES,
    Delivery,
    DeliveryState,
    Event,
    PauseReason,
    Subscription,
)
from alerts.selectors import deliveries_due
from alerts.sending import (
    DeliveryError,
    DeliveryRefused,
    DeliveryRetry,
    EndpointGone,
    post_webhook,
)
from alerts.services import subscription_pause
from alerts.signing import signature
from exitwatch.lib.formatting import iso_z
from exitwatch.lib.jobs import job_lock_ttl

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(seconds=30)
RETRY_LONGEST = timedelta(hours=6)
RETRY_JITTER = 0.2


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """The wait before the next attempt after `attempts` failed ones."""
    base = min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_LONGEST)
    return base * (rng or random).uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)


def delivery_body(event: Event) -> bytes:
    """The JSON every delivery of `event` sends, byte for byte the same each time.

    Standard Webhooks' envelope: `type`, `timestamp` (when the change happened)
    and `data` (the event's id, kind, country and when it was recorded, then
    what changed)."""
    document = {
        "type": EVENT_TYPES[event.kind],
        "timestamp": iso_z(event.occurred_at),
        "data": {
            "id": event.webhook_id,
            "kind": event.kind,
            "country": event.country or None,
            "recorded_at": iso_z(event.recorded_at),
            **event.payload,
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _claim(delivery: Delivery, now: datetime) -> datetime | None:
    """Take the row for this run; the claim's end, or None if not ours to send."""
    until = now + timedelta(seconds=job_lock_ttl())
    taken = Delivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=delivery.pk,
        state=DeliveryState.PENDING,
        next_attempt_at__lte=now,
    ).update(claimed_until=until, attempts=F("attempts") + 1, last_attempt_at=now)
    return until if taken else None


def _record(delivery: Delivery, claim: datetime, **values: object) -> None:
    done = Delivery.objects.filter(pk=delivery.pk, claimed_until=claim).update(
        claimed_until=None, **values
    )
    if not done:  # our claim ran out and another run took the row over
        log.warning(
            "webhook delivery %s: outcome not recorded, claim lost", delivery.pk
        )


def _subscription_failed(subscription: Subscription, at: datetime) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(
        last_failure_at=at, failing_since=Coalesce("failing_since", Value(at))
    )


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Make one attempt at a delivery, if one is due and nobody else makes it.

    Returns what happened: "delivered", "retry", "failed", "gone" (410: the
    subscription is paused), "paused", "skipped" (not due, taken, or done).
    Never call it inside a transaction: no row stays locked during the POST.
    """
    clock = (lambda: now) if now is not None else timezone.now
    delivery = (
        Delivery.objects.select_related("event", "subscription")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return "skipped"
    subscription, event = delivery.subscription, delivery.event
    if subscription.paused:
        return "paused"
    started = clock()
    deadline = delivery.created_at + timedelta(hours=settings.WEBHOOK_GIVE_UP_HOURS)
    if started >= deadline:
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED,
            next_attempt_at=None,
            last_error=f"gave up: not delivered in {settings.WEBHOOK_GIVE_UP_HOURS} h",
        )
        return "failed"
    claim = _claim(delivery, started)
    if claim is None:
        return "skipped"
    attempts = delivery.attempts + 1
    body = delivery_body(event)
    # The real clock, whatever `now` says: receivers compare it with theirs.
    timestamp = int(timezone.now().timestamp())
    headers = {
        "webhook-id": event.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=subscription.secret,
            msg_id=event.webhook_id,
            timestamp=timestamp,
            body=body,
        ),
    }
    try:
        status = post_webhook(
            url=subscription.target_url,
            body=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_http=settings.WEBHOOK_ALLOW_HTTP,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
        )
    except DeliveryRetry as exc:
        at = clock()
        _subscription_failed(subscription, at)
        return _retry_later(delivery, claim, exc, attempts, deadline, at)
    except DeliveryRefused as exc:
        at = clock()
        _subscription_failed(subscription, at)
        _fail(delivery, claim, exc, at)
        if isinstance(exc, EndpointGone):
            subscription_pause(
                subscription=subscription, reason=PauseReason.GONE, now=clock()
            )
            return "gone"
        return "failed"
    at = clock()
    _record(
        delivery,
        claim,
        state=DeliveryState.DELIVERED,
        delivered_at=at,
        next_attempt_at=None,
        last_status_code=status,
        last_error="",
    )
    Subscription.objects.filter(pk=subscription.pk).update(
        last_success_at=at, failing_since=None
    )
    log.info("webhook delivery %s: delivered (HTTP %s)", delivery.pk, status)
    return "delivered"


def _retry_later(
    delivery: Delivery,
    claim: datetime,
    exc: DeliveryRetry,
    attempts: int,
    deadline: datetime,
    at: datetime,
) -> str:
    delay = retry_delay(attempts)
    if exc.retry_after:
        delay = max(delay, min(timedelta(seconds=exc.retry_after), RETRY_LONGEST))
    following = at + delay
    if following >= deadline:
        _fail(delivery, claim, exc, at, gave_up=True)
        return "failed"
    _record(
        delivery,
        claim,
        next_attempt_at=following,
        last_status_code=exc.status,
        last_error=str(exc)[:500],
    )
    log.info("webhook delivery %s: %s, next at %s", delivery.pk, exc, following)
    return "retry"


def _fail(
    delivery: Delivery,
    claim: datetime,
    exc: DeliveryError,
    at: datetime,
    *,
    gave_up: bool = False,
) -> None:
    message = str(exc)
    if gave_up:
        message = f"gave up: {message}; next attempt would be past the time limit"
    _record(
        delivery,
        claim,
        state=DeliveryState.FAILED,
        next_attempt_at=None,
        last_status_code=exc.status,
        last_error=message[:500],
    )
    log.info("webhook delivery %s: failed: %s", delivery.pk, message)


def deliveries_send_due(
    *, now: datetime | None = None, limit: int = 500
) -> dict[str, int]:
    """Attempt every due delivery here, one after another; outcomes counted.

    What `manage.py send_due_webhooks` does; beat's sweep queues one task per
    delivery instead (alerts.tasks.send_due_webhooks), so workers share them."""
    outcomes: dict[str, int] = {}
    for pk in deliveries_due(now=now or timezone.now(), limit=limit):
        outcome = delivery_attempt(delivery_id=pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
