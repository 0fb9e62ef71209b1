"""Fixed-window counters in the cache for the report endpoints.

A counter's key holds an opaque key (an HMAC of the client, a crossing id, a
token id) and the window's number; it expires when its window ends, so the cache
never holds a client's key for longer than one window.

While Redis is away the cache answers from a memory of a few seconds in each
process (exitwatch.lib.cache), so these counters forget: reports are still accepted
(a traveller at the border must not get an error because our cache is down),
nginx's limit_req still limits submissions per address, and the per-crossing
limit, the one that keeps a flood out of the moderation queue, is then counted
from the reports in the database instead.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from exitwatch.lib.cache import known_down
from exitwatch.lib.client_ip import client_key
from exitwatch.lib.coarse_time import floor_time
from routes.reports.models import TravellerReport, TrustedReporterToken


class RateLimited(Exception):
    """Too many reports in this window; `retry_after` seconds until it ends."""

    def __init__(self, *, scope: str, retry_after: int) -> None:
        self.scope = scope
        self.retry_after = retry_after
        super().__init__(f"rate limit {scope}: retry after {retry_after}s")


def _key(scope: str, key: str, window: int, now: float) -> tuple[str, int]:
    index = int(now // window)
    remaining = max(1, int((index + 1) * window - now + 0.999))
    return f"reports:rate:{scope}:{key}:{window}:{index}", remaining


def limit_hit(*, scope: str, key: str, limit: int, window: int) -> None:
    """Count one hit against `limit` per `window` seconds; raise RateLimited past it."""
    cache_key, remaining = _key(scope, key, window, time.time())
    cache.add(cache_key, 0, timeout=remaining)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this hit opens a new window
        cache.set(cache_key, 1, timeout=remaining)
        count = 1
    if count > limit:
        raise RateLimited(scope=scope, retry_after=remaining)


def limit_crossing(*, crossing_id: int) -> None:
    """Count one anonymous report against its crossing's limit; RateLimited past it.

    Call it after the report is written, in the same transaction: while the
    cache is down the count comes from the database and includes this report.
    """
    limit, window = settings.REPORT_CROSSING_LIMIT, settings.REPORT_CROSSING_WINDOW
    limit_hit(scope="crossing", key=str(crossing_id), limit=limit, window=window)
    if not known_down(cache):
        return
    now = timezone.now()
    # Stored times are floored to 5 minutes: floor the window's start too, so
    # the count errs towards more reports, never fewer.
    recent = TravellerReport.objects.filter(
        crossing_id=crossing_id,
        published_with__isnull=True,
        submitted_at__gte=floor_time(now - timedelta(seconds=window)),
    ).aggregate(count=Count("id"), oldest=Min("submitted_at"))
    if recent["count"] > limit:
        leaves = recent["oldest"] + timedelta(seconds=window) - now
        raise RateLimited(
            scope="crossing", retry_after=max(1, int(leaves.total_seconds()))
        )


def limit_check(*, scope: str, key: str, limit: int, window: int) -> None:
    """Raise RateLimited if the limit is already used up, without counting a hit."""
    cache_key, remaining = _key(scope, key, window, time.time())
    if (cache.get(cache_key) or 0) >= limit:
        raise RateLimited(scope=scope, retry_after=remaining)


def limit_submission(
    request: HttpRequest, trusted_token: TrustedReporterToken | None
) -> None:
    """Count one submission attempt, valid or not, against the client's limit
    (a trusted reporter's against its token's); raise RateLimited past it."""
    if trusted_token is not None:
        limit_hit(
            scope="token",
            key=str(trusted_token.pk),
            limit=settings.REPORT_TRUSTED_LIMIT,
            window=settings.REPORT_TRUSTED_WINDOW,
        )
    else:
        limit_hit(
            scope="client",
            key=client_key(request),
            limit=settings.REPORT_CLIENT_LIMIT,
            window=settings.REPORT_CLIENT_WINDOW,
        )


def too_many_message(exc: RateLimited) -> str:
    minutes = max(1, -(-exc.retry_after // 60))
    return ngettext(
        "Too many reports from your network or for this crossing just now. "
        "Please try again in %(minutes)d minute.",
        "Too many reports from your network or for this crossing just now. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
