"""Periodic work on the map document (a thin wrapper over staleness marking)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from exitwatch.lib.jobs import DeliveryCappedTask
from routes.mapdoc.staleness import crossings_mark_stale


@shared_task(base=DeliveryCappedTask)
def mark_stale() -> dict[str, Any]:
    result = crossings_mark_stale()
    return {"stale": result.stale, "bumped": result.bumped}
