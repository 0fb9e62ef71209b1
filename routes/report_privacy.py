"""What the report endpoints know about a client, and how little of it they keep.

The client's address is used for one thing: counting its reports against a rate
limit. It is never stored, logged or cached. The cache holds only an HMAC of it
under a random salt that lives in the cache itself and is replaced every UTC day,
so yesterday's counters cannot be tied to an address even by someone holding the
SECRET_KEY. IPv6 clients are counted per /64, the block one subscriber gets.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

SALT_KEY = "reports:client-salt:{day}"
PUBLIC_TIME_STEP = timedelta(minutes=5)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one the trusted proxies saw.

    With NUM_PROXIES = n, the n-th address from the right of X-Forwarded-For is
    the client as seen by the outermost of our proxies; anything left of it was
    written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    num_proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        candidate = hops[-min(num_proxies, len(hops))]
        if _parse(candidate) is not None:
            return candidate
    return remote


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _bucket(address: str) -> str:
    """The unit a limit applies to: an IPv4 address or an IPv6 /64."""
    ip = _parse(address)
    if ip is None:
        return "unparseable"  # one shared bucket: no way around the limit
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)


def _daily_salt(now: datetime) -> bytes:
    day = now.astimezone(UTC).date()
    key = SALT_KEY.format(day=day.isoformat())
    until_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
    ttl = max(1, int((until_midnight - now).total_seconds()))
    fresh = secrets.token_hex(32)
    cache.add(key, fresh, timeout=ttl)
    return (cache.get(key) or fresh).encode()


def client_key(request: HttpRequest, *, now: datetime | None = None) -> str:
    """An opaque, day-scoped key for the client, for rate-limit counters only."""
    now = now or timezone.now()
    bucket = _bucket(client_address(request)).encode()
    return hmac.new(_daily_salt(now), bucket, hashlib.sha256).hexdigest()[:32]


def floor_time(moment: datetime) -> datetime:
    """`moment` floored to 5 minutes: the only precision reports keep or show."""
    step = int(PUBLIC_TIME_STEP.total_seconds())
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % step, tz=UTC)


def _reporter_paths() -> tuple[str, ...]:
    paths = []
    for name in ("reports:form", "reports:api-reports", "reports:privacy"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:  # URLs not loaded (e.g. a management command)
            continue
    return tuple(paths)


class ReporterLogFilter(logging.Filter):
    """Strip the request from Django's log records about the report endpoints.

    Django logs every 4xx/5xx response ("Too Many Requests: /api/v1/reports/")
    with the request attached; a handler that formats it (mail_admins, Sentry)
    would write out the reporter's address and user agent. The message keeps
    the path and status, which is all anyone needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and path.startswith(_reporter_paths()):
            record.request = None
        return True
