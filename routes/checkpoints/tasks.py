"""Celery task for the official checkpoint list: a thin wrapper over
routes.checkpoints.refresh.

Only a transient fetch error (connection refused, timeout, HTTP 5xx or 429) is
retried, with exponential backoff and jitter; an answer that does not parse
will not fix itself by asking again and is recorded on the source at once. A
run past its soft time limit, or abandoned after its worker died, is recorded
on the source (exitwatch.lib.sources).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from exitwatch.lib.jobs import TRANSIENT_RETRY
from exitwatch.lib.sources import SourceTask
from routes.checkpoints.models import OfficialListSource
from routes.checkpoints.refresh import SOURCE_KEY, official_list_refresh


class ListTemporarilyUnavailable(Exception):
    """The list failed to come in a way that may pass (network, 5xx): retry later."""


class OfficialListTask(SourceTask):
    abstract = True
    source_model = OfficialListSource


@shared_task(
    bind=True,
    base=OfficialListTask,
    autoretry_for=(ListTemporarilyUnavailable,),
    **TRANSIENT_RETRY,
)
def refresh_checkpoints(self: OfficialListTask) -> dict[str, Any]:
    try:
        outcome = official_list_refresh(run_id=self.run_owner())
    except SoftTimeLimitExceeded:
        message = self.give_up(SOURCE_KEY)
        return {"source": SOURCE_KEY, "status": "failed", "error": message}
    if outcome.transient:
        raise ListTemporarilyUnavailable(outcome.error)
    return {
        "source": SOURCE_KEY,
        "status": outcome.status,
        "seen": outcome.items_seen,
        "changed": outcome.items_changed,
    }
