"""Reads about advisory sources used in more than one place."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from advisories.models import Advisory, AdvisorySource
from exitwatch.lib.formatting import iso_z


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


def _advisory_moment(advisory: Advisory) -> datetime:
    return advisory.published_at or advisory.changed_at


def advisories_newest(
    *, at: datetime | None = None, targets: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """The newest advisory of each issuing government about each destination
    (those in `targets`, or every one), as published by `at` when given; by
    destination, then issuer. One query."""
    newest: dict[tuple[str, str], Advisory] = {}
    advisories = Advisory.objects.select_related("source")
    if targets is not None:
        advisories = advisories.filter(target_country__in=targets)
    if at is not None:
        advisories = advisories.filter(
            Q(published_at__lte=at) | Q(published_at__isnull=True, changed_at__lte=at)
        )
    for advisory in advisories:
        key = (advisory.target_country.code, advisory.source.issuer.code)
        seen = newest.get(key)
        if seen is None or _advisory_moment(advisory) > _advisory_moment(seen):
            newest[key] = advisory
    return [
        {
            "source": a.source.key,
            "issuer": issuer,
            "source_name_en": a.source.name_en,
            "source_name_ru": a.source.name_ru,
            "target_country": a.target_country.code,
            "level": a.level,
            "level_text": a.level_text,
            "title": a.title,
            "url": a.url,
            "published_at": iso_z(a.published_at),
            "changed_at": iso_z(a.changed_at),
        }
        for (_target, issuer), a in sorted(newest.items())
    ]
