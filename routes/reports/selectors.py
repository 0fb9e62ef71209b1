"""Reads about traveller reports: the moderation queue, medians, public labels."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from exitwatch.lib.formatting import iso_z
from routes.models import BorderCrossing, Mode, SourceKind
from routes.reports.models import Direction, ReportState, TravellerReport

# A pending wait this far from the recent median is put first in the queue:
# at least an hour, or half the median when that is more.
OUTLIER_MIN_MINUTES = 60
OUTLIER_RATIO = 0.5
# Fewer reports than this make no median worth comparing against.
OUTLIER_MIN_REPORTS = 3
# How far back the public list of approved reports goes.
PUBLIC_REPORTS_HOURS = 48
PUBLIC_REPORTS_LIMIT = 100


def recent_window() -> timedelta:
    return timedelta(minutes=settings.REPORT_RECENT_MINUTES)


def modes_counting_towards(wait_mode: str) -> list[str]:
    """Report modes whose waits make up a crossing's `wait_mode` figure."""
    return [wait_mode, Mode.BICYCLE] if wait_mode == Mode.CAR else [wait_mode]


def _median(values: list[int]) -> int:
    """The median in whole minutes, halves rounded up as people round them
    (Python's round() goes to even: 2.5 → 2)."""
    return math.floor(statistics.median(values) + 0.5)


@dataclass(frozen=True)
class WaitBasis:
    """The approved reports behind one mode's wait at one moment."""

    observed_at: datetime  # the moment the figure stands for
    status: str  # the newest report's status at that moment
    median: int | None  # None when none of the reports gave a wait
    count: int
    last_observed_at: datetime | None

    def as_json(self, wait_mode: str) -> dict[str, Any]:
        return {
            "source_kind": SourceKind.TRAVELLER.value,
            "count": self.count,
            "last_observed_at": iso_z(self.last_observed_at),
            "window_minutes": settings.REPORT_RECENT_MINUTES,
        }


def report_wait_basis(*, report: TravellerReport) -> WaitBasis:
    """The crossing's traveller figure for `report`'s mode once it is approved.

    The figure stands at the newest approved report on the crossing (what
    travellers last said), and is the median wait of approved reports for the
    mode seen in the window before it. A report older than that window cannot
    change the current figure; it gets a figure of its own moment instead, which
    the write path keeps in history without showing it.
    """
    window = recent_window()
    approved = TravellerReport.objects.approved().filter(
        crossing_id=report.crossing_id, direction=Direction.LEAVING
    )
    newest = approved.order_by("-observed_at", "-id").first() or report
    anchor = newest if report.observed_at >= newest.observed_at - window else report
    waits = list(
        approved.filter(
            mode__in=modes_counting_towards(report.wait_mode),
            wait_minutes__isnull=False,
            observed_at__gte=anchor.observed_at - window,
            observed_at__lte=anchor.observed_at,
        )
        # A report that arrived after a newer observation is kept in history
        # as not current; counted here, it would move the current figure it
        # was not allowed to set.
        .exclude(crossing_update__applied=False)
        .order_by("-observed_at")
        .values_list("wait_minutes", "observed_at")
    )
    return WaitBasis(
        observed_at=anchor.observed_at,
        status=anchor.status_seen,
        median=_median([w for w, _at in waits]) if waits else None,
        count=len(waits),
        last_observed_at=waits[0][1] if waits else None,
    )


def report_recent_medians(
    *, now: datetime | None = None
) -> dict[tuple[int, str, str], tuple[int, int]]:
    """(crossing id, direction, wait mode) → (median wait, reports) over the window.

    Counts approved and pending reports (not rejected ones): before anything is
    approved at a crossing, pending reports are the only basis there is, and a
    median shrugs off the odd false one. Pending reports held back as part of a
    flood do not count: a flood must not make honest reports look like outliers.
    """
    now = now or timezone.now()
    rows = (
        TravellerReport.objects.exclude(state=ReportState.REJECTED)
        .exclude(state=ReportState.PENDING, quarantined=True)
        .filter(observed_at__gte=now - recent_window(), wait_minutes__isnull=False)
        .values_list("crossing_id", "direction", "mode", "wait_minutes")
    )
    groups: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for crossing_id, direction, mode, wait in rows:
        wait_mode = Mode.CAR.value if mode == Mode.BICYCLE else mode
        groups[(crossing_id, direction, wait_mode)].append(wait)
    return {
        key: (_median(waits), len(waits))
        for key, waits in groups.items()
        if len(waits) >= OUTLIER_MIN_REPORTS
    }


def report_queue(
    queryset: QuerySet[TravellerReport] | None = None, *, now: datetime | None = None
) -> QuerySet[TravellerReport]:
    """Reports with `recent_median` and `is_outlier`: reports held back as part of
    a flood last, then outliers first, then the oldest first.

    Without a queryset: the moderation queue, i.e. pending reports.
    """
    if queryset is None:
        queryset = TravellerReport.objects.pending()
    medians, outliers = [], []
    for (crossing_id, direction, wait_mode), (median, _n) in report_recent_medians(
        now=now
    ).items():
        scope = Q(
            crossing_id=crossing_id,
            direction=direction,
            mode__in=modes_counting_towards(wait_mode),
        )
        tolerance = max(OUTLIER_MIN_MINUTES, OUTLIER_RATIO * median)
        medians.append(When(scope, then=Value(median)))
        far = Q(wait_minutes__lt=median - tolerance) | Q(
            wait_minutes__gt=median + tolerance
        )
        outliers.append(When(scope & far, then=Value(True)))
    return (
        queryset.select_related("crossing")
        .annotate(
            recent_median=Case(
                *medians, default=Value(None), output_field=IntegerField()
            ),
            is_outlier=Case(
                *outliers, default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("quarantined", "-is_outlier", "submitted_at", "id")
    )


def reports_published(
    *, crossing: BorderCrossing | None = None, now: datetime | None = None
) -> QuerySet[TravellerReport]:
    """Approved reports of the last two days, newest first, for public lists.

    Reports of one 5-minute step come in the order of their random public ids:
    the sequential key would tell which of them came first.
    """
    now = now or timezone.now()
    queryset = TravellerReport.objects.approved().filter(
        observed_at__gte=now - timedelta(hours=PUBLIC_REPORTS_HOURS)
    )
    if crossing is not None:
        queryset = queryset.filter(crossing=crossing)
    return queryset.select_related("crossing").order_by("-observed_at", "public_id")[
        :PUBLIC_REPORTS_LIMIT
    ]
