"""DRF throttles keyed by the real client address, hashed before it reaches the cache.

DRF's own throttles key on the raw X-Forwarded-For unless NUM_PROXIES is set, and
keep the address in clear in the cache key. These take the address the way
exitwatch.lib.client_ip does and store only its day-salted HMAC, so neither a forged
header nor a look at Redis gives anyone the address. Rates come from
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] under the usual scopes.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.request import Request

from exitwatch.lib.client_ip import client_key


class _HashedIdentMixin:
    def get_ident(self, request: Request) -> str:
        return client_key(request._request)


class AnonRateThrottle(_HashedIdentMixin, throttling.AnonRateThrottle):
    """Anonymous clients, per address."""


class UserRateThrottle(_HashedIdentMixin, throttling.UserRateThrottle):
    """Signed-in clients per user, anonymous ones per address."""


class ScopedRateThrottle(_HashedIdentMixin, throttling.ScopedRateThrottle):
    """Per view scope (`throttle_scope`), per user or address."""
