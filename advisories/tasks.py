"""Celery tasks for advisories: thin wrappers over advisories.refresh.

One task per source (refresh_advisory_source), fanned out every 30 minutes by
refresh_advisories. Only a transient fetch error (connection refused, timeout,
HTTP 5xx or 429) is retried, with exponential backoff and jitter; a parse error
will not fix itself by asking again and is recorded on the source at once. A run
past its soft time limit, or abandoned after its worker died, is recorded on the
source (exitwatch.lib.sources).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from advisories.models import AdvisorySource
from advisories.refresh import advisory_source_refresh
from advisories.selectors import advisory_sources_due
from exitwatch.lib.jobs import TRANSIENT_RETRY, DeliveryCappedTask
from exitwatch.lib.sources import SourceTask


class SourceTemporarilyUnavailable(Exception):
    """The feed failed in a way that may pass (network, 5xx): retry later."""


class AdvisorySourceTask(SourceTask):
    abstract = True
    source_model = AdvisorySource


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
        outcome = advisory_source_refresh(source=source, run_id=self.run_owner())
    except SoftTimeLimitExceeded:
        message = self.give_up(source_key)
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
