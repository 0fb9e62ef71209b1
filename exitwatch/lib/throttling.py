"""DRF throttles keyed by the real client address, hashed before it reaches the cache.

DRF's own throttles key on the raw X-Forwarded-For unless NUM_PROXIES is set, and
keep the address in clear in the cache key. These take the address the way
exitwatch.lib.client_ip does and store only its day-salted HMAC, so neither a forged
header nor a look at Redis gives anyone the address. Rates come from
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] under the usual scopes.

While Redis is unreachable the shared cache keeps its local copies for a few
seconds only (exitwatch.lib.cache), which would forget every client's history
between two requests and let all of them through. The throttles then count in
this process's memory instead, for as long as each window lasts: the limit holds
per process (a client may get the rate once per worker process), not across the
site, until Redis is back.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework import throttling
from rest_framework.request import Request

from exitwatch.lib.client_ip import client_key

# Enough clients for a busy outage; each entry is one client's request times.
FALLBACK_MAX_ENTRIES = 10_000


def _shared_is_down() -> bool:
    # exitwatch.lib.cache.ResilientRedisCache says so; other backends never are.
    return bool(getattr(shared_cache, "is_down", False))


class ThrottleCache:
    """The shared cache for throttle histories, or this process's memory while
    the shared cache is unreachable."""

    def __init__(self) -> None:
        self.local = LocMemCache(
            "exitwatch-throttle-fallback",
            {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}},
        )

    def get(self, key: str, default: Any = None) -> Any:
        value = shared_cache.get(key, default)
        return self.local.get(key, default) if _shared_is_down() else value

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        shared_cache.set(key, value, timeout)
        if _shared_is_down():
            self.local.set(key, value, timeout)


throttle_cache = ThrottleCache()


class _HashedIdentMixin:
    cache = throttle_cache

    def get_ident(self, request: Request) -> str:
        return client_key(request._request)


class AnonRateThrottle(_HashedIdentMixin, throttling.AnonRateThrottle):
    """Anonymous clients, per address."""


class UserRateThrottle(_HashedIdentMixin, throttling.UserRateThrottle):
    """Signed-in clients per user, anonymous ones per address."""


class ScopedRateThrottle(_HashedIdentMixin, throttling.ScopedRateThrottle):
    """Per view scope (`throttle_scope`), per user or address."""
