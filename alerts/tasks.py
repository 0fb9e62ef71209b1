"""Celery tasks for events and webhooks: thin wrappers over alerts' services.

The three event tasks are sent through the outbox by the write paths, by name
(the writers never import this app), in the same transaction as their rows:
- `alerts.tasks.event_from_update(update_id)` (routes.services.crossing_update_record),
- `alerts.tasks.event_from_advisory_revision(revision_id)` (advisories.services),
- `alerts.tasks.event_from_entry_rule(rule_id)` (routes.entry.services).
Each is idempotent (alerts.events), so the outbox sending one twice is harmless.
A database that is away is retried with backoff; every task here also runs with
the project's acks_late and reject_on_worker_lost, capped by DeliveryCappedTask.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from alerts.delivery import delivery_attempt
from alerts.events import (
    events_from_advisory_revision,
    events_from_entry_rule,
    events_from_update,
)
from alerts.selectors import deliveries_due
from alerts.services import subscription_notify_paused, subscriptions_pause_failing
from exitwatch.lib.jobs import TRANSIENT_RETRY, DeliveryCappedTask
from outbox.services import BROKER_DOWN

log = logging.getLogger(__name__)

# A database connection lost or refused: the row is still there to work on later.
DATABASE_TRANSIENT = (OperationalError, InterfaceError)
# A mail server away or busy.
MAIL_TRANSIENT = (smtplib.SMTPException, OSError)
# A queued attempt older than this is dropped by the broker; the next sweep
# queues it again if it is still due (bounding duplicates while workers lag).
ATTEMPT_EXPIRES = 60


def _send_soon(delivery_ids: Sequence[int]) -> None:
    """Queue an attempt for each new delivery once its row is committed. A
    broker that is down loses nothing: the sweep finds the rows due."""

    def send() -> None:
        for pk in delivery_ids:
            try:
                deliver_webhook.apply_async((pk,), expires=ATTEMPT_EXPIRES)
            except BROKER_DOWN:
                log.warning("webhook deliveries wait for the sweep: broker down")
                return

    if delivery_ids:
        transaction.on_commit(send)


@shared_task(
    base=DeliveryCappedTask, autoretry_for=DATABASE_TRANSIENT, **TRANSIENT_RETRY
)
def event_from_update(update_id: int) -> int:
    """Events of one crossing update; how many deliveries they made."""
    deliveries = events_from_update(update_id=update_id)
    _send_soon(deliveries)
    return len(deliveries)


@shared_task(
    base=DeliveryCappedTask, autoretry_for=DATABASE_TRANSIENT, **TRANSIENT_RETRY
)
def event_from_advisory_revision(revision_id: int) -> int:
    deliveries = events_from_advisory_revision(revision_id=revision_id)
    _send_soon(deliveries)
    return len(deliveries)


@shared_task(
    base=DeliveryCappedTask, autoretry_for=DATABASE_TRANSIENT, **TRANSIENT_RETRY
)
def event_from_entry_rule(rule_id: int) -> int:
    deliveries = events_from_entry_rule(rule_id=rule_id)
    _send_soon(deliveries)
    return len(deliveries)


@shared_task(
    base=DeliveryCappedTask, autoretry_for=DATABASE_TRANSIENT, **TRANSIENT_RETRY
)
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one delivery (its retries are scheduled in its row)."""
    return delivery_attempt(delivery_id=delivery_id)


@shared_task(base=DeliveryCappedTask)
def send_due_webhooks() -> int:
    """Beat's sweep: queue an attempt for every delivery that is due."""
    ids = deliveries_due(now=timezone.now())
    for pk in ids:
        deliver_webhook.apply_async((pk,), expires=ATTEMPT_EXPIRES)
    return len(ids)


@shared_task(base=DeliveryCappedTask)
def pause_failing_webhooks() -> int:
    """Pause the subscriptions that have failed for WEBHOOK_PAUSE_AFTER_DAYS."""
    return subscriptions_pause_failing()


@shared_task(base=DeliveryCappedTask, autoretry_for=MAIL_TRANSIENT, **TRANSIENT_RETRY)
def notify_subscription_paused(subscription_id: int) -> bool:
    """E-mail a paused subscription's owner (sent through the outbox)."""
    return subscription_notify_paused(subscription_id=subscription_id)
