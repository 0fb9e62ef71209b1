"""Fixed-window counters in the cache for the report endpoints.

A counter's key holds an opaque key (an HMAC of the client, a crossing id, a
token id) and the window's number; it expires when its window ends, so the cache
never holds a client's key for longer than one window.

While Redis is away the cache answers from a memory of a few seconds in each
process (exitwatch.lib.cache), so these counters forget: reports are still accepted
(a traveller at the border must not get an error because our cache is down),
nginx's limit_req still limits submissions per address, and the per-crossing
budget, past which a flood is held back at the end of the moderation queue, is
then counted from the reports in the database instead.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from exitwatch.lib.cache import known_down
from exitwatch.lib.client_ip import client_key
from exitwatch.lib.coarse_time import floor_time
from routes.reports.models import TravellerReport, TrustedReporterToken

# How many reports one sender may send to a flooded crossing in its window and
# still be queued as usual: one, and a correction.
FLOOD_SHARE = 2


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


def _count(*, scope: str, key: str, window: int) -> tuple[int, int]:
    """Count one hit in the current window: (hits so far, seconds left)."""
    cache_key, remaining = _key(scope, key, window, time.time())
    cache.add(cache_key, 0, timeout=remaining)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this hit opens a new window
        cache.set(cache_key, 1, timeout=remaining)
        count = 1
    return count, remaining


def limit_hit(*, scope: str, key: str, limit: int, window: int) -> None:
    """Count one hit against `limit` per `window` seconds; raise RateLimited past it."""
    count, remaining = _count(scope=scope, key=key, window=window)
    if count > limit:
        raise RateLimited(scope=scope, retry_after=remaining)


def crossing_flooded(*, crossing_id: int, client: str | None) -> bool:
    """Count one anonymous report at its crossing; True if it is to be held back.

    A crossing never refuses a report: a limit for everyone would let a few
    networks shut every traveller out. Past REPORT_CROSSING_LIMIT in the window
    a report is held back (quarantined: accepted, checked after the others)
    when its sender has already sent FLOOD_SHARE reports to this crossing in
    the window; a traveller's first reports go into the queue as usual.

    Call it after the report is written, in the same transaction: while the
    cache is down the crossing's count comes from the database and includes
    this report, and, senders being uncountable then, every report past the
    budget is held back.
    """
    limit, window = settings.REPORT_CROSSING_LIMIT, settings.REPORT_CROSSING_WINDOW
    count, _remaining = _count(scope="crossing", key=str(crossing_id), window=window)
    sent: int | None = None
    if client:
        sent, _remaining = _count(
            scope="crossing-client", key=f"{crossing_id}:{client}", window=window
        )
    if known_down(cache):
        # Stored times are floored to 5 minutes: floor the window's start too,
        # so the count errs towards more reports, never fewer.
        count = TravellerReport.objects.filter(
            crossing_id=crossing_id,
            published_with__isnull=True,
            submitted_at__gte=floor_time(timezone.now() - timedelta(seconds=window)),
        ).count()
        sent = None
    if count <= limit:
        return False
    return sent is None or sent > FLOOD_SHARE


def limit_check(*, scope: str, key: str, limit: int, window: int) -> None:
    """Raise RateLimited if the limit is already used up, without counting a hit."""
    cache_key, remaining = _key(scope, key, window, time.time())
    if (cache.get(cache_key) or 0) >= limit:
        raise RateLimited(scope=scope, retry_after=remaining)


def limit_submission(
    request: HttpRequest, trusted_token: TrustedReporterToken | None
) -> str | None:
    """Count one submission attempt, valid or not, against the client's limit
    (a trusted reporter's against its token's); raise RateLimited past it.

    Returns the anonymous client's opaque key (None for a trusted reporter),
    for counting its report at the crossing.
    """
    if trusted_token is not None:
        limit_hit(
            scope="token",
            key=str(trusted_token.pk),
            limit=settings.REPORT_TRUSTED_LIMIT,
            window=settings.REPORT_TRUSTED_WINDOW,
        )
        return None
    client = client_key(request)
    limit_hit(
        scope="client",
        key=client,
        limit=settings.REPORT_CLIENT_LIMIT,
        window=settings.REPORT_CLIENT_WINDOW,
    )
    return client


def too_many_message(exc: RateLimited) -> str:
    minutes = max(1, -(-exc.retry_after // 60))
    return ngettext(
        "Too many reports from your network just now. "
        "Please try again in %(minutes)d minute.",
        "Too many reports from your network just now. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
