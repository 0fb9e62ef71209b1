"""Writes for the outbox: record a task with its data, send it, drain what is left."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from celery import Celery, Task, current_app
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu import Connection
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from exitwatch.lib.cache import known_down
from outbox.models import OutboxMessage

log = logging.getLogger(__name__)

# What a broker that is away raises when publishing; anything else raised by an
# eagerly run task (development) is the task failing, not the delivery.
BROKER_DOWN = (OperationalError, RedisError, ConnectionError, OSError)
# The drain leaves fresh rows to the on-commit sender of their own request.
DRAIN_MIN_AGE = timedelta(seconds=5)
BROKER_CONNECT_TIMEOUT = 1.0


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


def outbox_enqueue_many(
    *, task: str, kwargs_list: Iterable[Mapping[str, Any]]
) -> list[OutboxMessage]:
    """Record one call of `task` per item of `kwargs_list` in one INSERT (a
    batch's rows each need their task); all sent on commit, like outbox_enqueue."""
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=task, kwargs=dict(kwargs)) for kwargs in kwargs_list]
    )
    ids = [message.pk for message in messages]
    if ids:
        transaction.on_commit(lambda: _send_pending(ids), robust=True)
    return messages


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
    return known_down(cache)


def _task(app: Celery, name: str) -> Task:
    # A web process imports no task modules of its own (only a worker imports
    # them at start): load them as a worker would, or the name is unknown here.
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _send_pending(ids: list[int]) -> int:
    if not ids or _broker_known_down():
        return 0
    app = current_app
    if app.conf.task_always_eager:  # development without a broker: run in-process
        return _send_each(app, ids, connection=None)
    try:
        # One bounded connection attempt: Celery's own publish would keep the
        # request waiting through its retries while the broker is down.
        with app.connection_for_write(connect_timeout=BROKER_CONNECT_TIMEOUT) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.1, interval_max=0.1
            )
            return _send_each(app, ids, connection=conn)
    except BROKER_DOWN as exc:
        _record_failure(ids[0], exc)
        return 0


def _record_failure(
    pk: int, exc: BaseException, what: str = "broker unavailable"
) -> None:
    OutboxMessage.objects.filter(pk=pk).update(
        attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
    )
    log.warning("outbox: %s, message %s stays pending", what, pk)


def _send_each(app: Celery, ids: list[int], connection: Connection | None) -> int:
    """Hand each message to the broker (or, eagerly, run it); mark it sent.

    Eagerly (development, no broker) the task runs after the row's transaction
    has committed it as sent: a task must not run inside the drain's transaction
    (it may e-mail), and a failure in it is the task's to retry, not the outbox's.
    """
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
                task = _task(app, message.task)
            except KeyError as exc:
                # A name no code defines: a bug to fix, not a message to drop.
                _record_failure(pk, exc, what="unknown task")
                continue
            if connection is not None:
                try:
                    task.apply_async(
                        args=message.args,
                        kwargs=message.kwargs,
                        connection=connection,
                        retry=False,
                    )
                except BROKER_DOWN as exc:
                    _record_failure(pk, exc)
                    break
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
            sent += 1
        if connection is None:
            try:
                task.apply_async(args=message.args, kwargs=message.kwargs)
            except Exception:
                log.exception("outbox: %s failed when run in-process", message)
    return sent
