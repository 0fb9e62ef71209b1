"""Who the client is, for limits only: its address, and an opaque key for counters.

One place for the rule, shared by the API throttles, the traveller-report limits
and the admin lockout: REMOTE_ADDR, or the address our trusted proxies saw
(settings.NUM_PROXIES); anything a client writes into X-Forwarded-For left of
that is ignored. Counters are keyed by an HMAC under a random salt that lives
only in the cache and changes every UTC day, so no address, and no identifier
stable beyond a day, ever reaches the cache.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

SALT_KEY = "client-key-salt:{day}"


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client address, honouring settings.NUM_PROXIES trusted proxies.

    With NUM_PROXIES = n, the n-th address from the right of X-Forwarded-For is
    the client as seen by the outermost of our proxies. Fewer hops than proxies
    means a proxy is missing from the chain: the leftmost is the best we know.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))]
    return candidate if _parse(candidate) is not None else remote


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
    shared = cache.get(key)
    if shared is None or getattr(cache, "is_down", False):
        # Redis is away, and the cache's local copies last seconds: a salt drawn
        # anew each time would give a client a new key, and a fresh allowance,
        # every few seconds. This process keeps its own for the day meanwhile
        # (its limits count per process until Redis is back).
        if key not in _local_salt:
            _local_salt.clear()
        return _local_salt.setdefault(key, fresh).encode()
    return shared.encode()


# This process's salt of the day, used only while the shared cache is away.
_local_salt: dict[str, str] = {}


def client_key(request: HttpRequest, *, now: datetime | None = None) -> str:
    """An opaque, day-scoped key for the client, for rate-limit counters only."""
    now = now or timezone.now()
    bucket = _bucket(client_ip(request)).encode()
    return hmac.new(_daily_salt(now), bucket, hashlib.sha256).hexdigest()[:32]
