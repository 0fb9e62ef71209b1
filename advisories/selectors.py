"""Reads about advisory sources used in more than one place."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from advisories.models import AdvisorySource


def advisory_sources_health() -> QuerySet[AdvisorySource]:
    """Every advisory source with its health fields, in key order."""
    return AdvisorySource.objects.order_by("key")


# Beat fires on its own clock; a source polled every 30 minutes by a 30-minute
# schedule must not be skipped because its last attempt was 29m58s ago.
POLL_SLACK = timedelta(minutes=2)


def advisory_sources_due(now: datetime | None = None) -> list[AdvisorySource]:
    """Enabled sources whose poll interval has passed since their last attempt."""
    now = now or timezone.now()
    return [
        source
        for source in AdvisorySource.objects.filter(enabled=True).order_by("key")
        if source.last_attempt_at is None
        or now - source.last_attempt_at
        >= timedelta(minutes=source.poll_interval_minutes) - POLL_SLACK
    ]
