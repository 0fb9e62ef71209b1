"""Writes for the outbox: record a task with its data, send it, drain what is left."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from outbox.models import OutboxMessage

log = logging.getLogger(__name__)

# What a broker that is away raises when publishing; anything else raised by an
# eagerly run task (development) is the task failing, not the delivery.
BROKER_DOWN = (OperationalError, RedisError, ConnectionError, OSError)
# The drain leaves fresh rows to the on-commit sender of their own request.
DRAIN_MIN_AGE = timedelta(seconds=5)


def outbox_enqueue(
    *, task: str, args: Iterable[Any] = (), kwargs: Mapping[str, Any] | None = None
) -> OutboxMessage:
    """Record `task(*args, **kwargs)` in the caller's transaction; send on commit.

    Arguments must be JSON values (ids, not objects). If the broker is down the row
    stays pending and `outbox_drain` sends it later.
    """
    message = OutboxMessage.objects.create(
        task=task, args=list(args), kwargs=dict(kwargs or {})
    )
    transaction.on_commit(lambda: _send_pending([message.pk]), robust=True)
    return message


def outbox_drain(*, limit: int = 500, min_age: timedelta = DRAIN_MIN_AGE) -> int:
    """Send pending messages, oldest first; returns how many the broker took.

    Rows are locked with SKIP LOCKED, so several drains never send the same row at
    once. Stops at the first broker failure: the rest waits for the next drain.
    """
    cutoff = timezone.now() - min_age
    ids = list(
        OutboxMessage.objects.pending()
        .filter(created_at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return _send_pending(ids)


def _broker_known_down() -> bool:
    # The cache and the broker share Redis: while the cache's circuit breaker is
    # open, do not make this request wait for a publish that will fail.
    return bool(getattr(cache, "is_down", False))


def _send_pending(ids: list[int]) -> int:
    if not ids or _broker_known_down():
        return 0
    from exitwatch.celery import app

    sent = 0
    for pk in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if message is None:  # sent meanwhile, or being sent by another drain
                continue
            try:
                app.tasks[message.task].apply_async(
                    args=message.args, kwargs=message.kwargs, retry=False
                )
            except BROKER_DOWN as exc:
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:500]
                message.save(update_fields=["attempts", "last_error"])
                log.warning("outbox: broker unavailable, %s stays pending", message)
                break
            except Exception:
                # Only when tasks run eagerly (no broker): the task itself failed.
                log.exception("outbox: %s failed when run in-process", message)
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
            sent += 1
    return sent
