"""Fading crossings whose last report is too old, without touching their history.

Staleness is derived when reading: a crossing is stale when its last observation
is older than its own threshold (BorderCrossing.objects.stale()). Nothing about
it is written to a crossing. What time changes, though, is the cached map
snapshot: it was built when the crossing was fresh. So this job compares the set
of stale crossings with the set it saw last time (kept in the cache) and, when
they differ, bumps the snapshot version so the next reader gets a rebuilt map.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from exitwatch.lib.snapshot import snapshot_bump
from routes.models import BorderCrossing

STALE_SET_KEY = "map:stale-crossings"


@dataclass(frozen=True)
class StaleResult:
    stale: int
    newly_stale: int
    no_longer_stale: int
    bumped: bool


def crossings_mark_stale(*, now: datetime | None = None) -> StaleResult:
    """Bump the snapshot version if the set of stale crossings has changed."""
    now = now or timezone.now()
    current = set(
        BorderCrossing.objects.stale(now).order_by().values_list("pk", flat=True)
    )
    previous = cache.get(STALE_SET_KEY)
    previous_set = set(previous) if previous is not None else None
    bumped = previous_set != current
    if bumped:
        snapshot_bump()
        cache.set(STALE_SET_KEY, sorted(current), timeout=None)
    return StaleResult(
        stale=len(current),
        newly_stale=len(current - (previous_set or set())),
        no_longer_stale=len((previous_set or set()) - current),
        bumped=bumped,
    )
