"""Celery tasks for advisories: thin wrappers over advisories.services.

One task per source (refresh_advisory_source), fanned out every 30 minutes by
refresh_advisories. Only a transient fetch error (connection refused, timeout,
HTTP 5xx or 429) is retried, with exponential backoff and jitter; a parse error
will not fix itself by asking again and is recorded on the source at once.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from advisories.models import AdvisorySource
from advisories.selectors import advisory_sources_due
from advisories.services import advisory_source_refresh, source_record_failure
from exitwatch.lib.jobs import TRANSIENT_RETRY, DeliveryCappedTask, new_owner


class SourceTemporarilyUnavailable(Exception):
    """The feed failed in a way that may pass (network, 5xx): retry later."""


class AdvisorySourceTask(DeliveryCappedTask):
    abstract = True

    def soft_limit(self) -> int:
        return int(self.soft_time_limit or self.app.conf.task_soft_time_limit)

    def on_gave_up(self, message: str, args: tuple, kwargs: dict) -> None:
        key = kwargs.get("source_key") or (args[0] if args else None)
        source = AdvisorySource.objects.filter(key=key).first()
        if source is not None:
            source_record_failure(source=source, message=message)


@shared_task(
    bind=True,
    base=AdvisorySourceTask,
    autoretry_for=(SourceTemporarilyUnavailable,),
    **TRANSIENT_RETRY,
)
def refresh_advisory_source(
    self: AdvisorySourceTask, source_key: str
) -> dict[str, Any]:
    source = AdvisorySource.objects.filter(key=source_key, enabled=True).first()
    if source is None:
        # Deleted or disabled since it was queued: nothing to do, nothing to retry.
        return {"source": source_key, "status": "gone"}
    try:
        outcome = advisory_source_refresh(
            source=source, run_id=self.request.id or new_owner("eager")
        )
    except SoftTimeLimitExceeded:
        message = f"gave up: the refresh took longer than {self.soft_limit()} s"
        source_record_failure(source=source, message=message)
        return {"source": source_key, "status": "failed", "error": message}
    if outcome.transient:
        raise SourceTemporarilyUnavailable(outcome.error)
    return {
        "source": source_key,
        "status": outcome.status,
        "seen": outcome.sync.seen,
        "changed": outcome.sync.changed,
    }


@shared_task(base=DeliveryCappedTask)
def refresh_advisories() -> list[str]:
    """Queue one refresh per enabled source whose poll interval has passed."""
    keys = [source.key for source in advisory_sources_due()]
    for key in keys:
        refresh_advisory_source.apply_async(
            (key,), expires=settings.EXITWATCH_ADVISORY_REFRESH_EXPIRES
        )
    return keys
