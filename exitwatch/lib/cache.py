"""A Redis cache that keeps the site answering while Redis is away.

Every cache call in the project (the map snapshot, its version, throttles, locks)
goes through this one backend, so Redis errors are caught here and nowhere else.
While Redis is unreachable:

- calls go to a small in-process memory cache whose entries live a few seconds at
  most, so pages and the API keep answering from the database with a short-lived
  local copy, and an edit made meanwhile shows within those seconds everywhere;
- after one failure the backend stops trying Redis for `retry_after` seconds (a
  circuit breaker), so a dead or black-holed server costs one short timeout per
  process per interval, not one per call;
- when a call reaches Redis again, the `on_recovery` hooks run once in this process
  (the snapshot version is bumped: a write made during the outage could not bump
  the shared version, and the old document must not come back from Redis).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

_UNREACHABLE = (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to a short-lived local cache instead of raising."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", 2.0))
        self.fallback_timeout = float(options.pop("fallback_timeout", 5.0))
        self._recovery_paths = list(options.pop("on_recovery", []))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"resilient-fallback-{id(self)}",
            {"TIMEOUT": self.fallback_timeout, "OPTIONS": {"MAX_ENTRIES": 1000}},
        )
        self._down_until = 0.0
        self._had_outage = False
        self._lock = threading.Lock()

    # -- circuit breaker ------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        """True while calls are being sent to the local fallback."""
        return time.monotonic() < self._down_until

    def _trip(self, exc: BaseException) -> None:
        with self._lock:
            first = not self._had_outage
            self._had_outage = True
            self._down_until = time.monotonic() + self.retry_after
        if first:
            log.warning("Redis cache unreachable, serving from local memory: %s", exc)

    def _recovered(self) -> None:
        with self._lock:
            if not self._had_outage:
                return
            self._had_outage = False
        log.warning("Redis cache reachable again")
        for path in self._recovery_paths:
            try:
                import_string(path)()
            except Exception:  # a hook must never break the call that found Redis
                log.exception("cache recovery hook %s failed", path)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self.is_down:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except _UNREACHABLE as exc:
                self._trip(exc)
            else:
                if self._had_outage:
                    self._recovered()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def _short(self, timeout: Any) -> float:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return self.fallback_timeout
        return min(float(timeout), self.fallback_timeout)

    # -- the cache API ----------------------------------------------------------------

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._call("get_many", keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call("has_key", key, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None
    ) -> None:
        if self.is_down:
            return self._fallback.set(key, value, self._short(timeout), version)
        try:
            return super().set(key, value, timeout, version)
        except _UNREACHABLE as exc:
            self._trip(exc)
            return self._fallback.set(key, value, self._short(timeout), version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None
    ) -> bool:
        if self.is_down:
            return self._fallback.add(key, value, self._short(timeout), version)
        try:
            return super().add(key, value, timeout, version)
        except _UNREACHABLE as exc:
            self._trip(exc)
            return self._fallback.add(key, value, self._short(timeout), version)

    def set_many(
        self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version=None
    ) -> list:
        if self.is_down:
            return self._fallback.set_many(data, self._short(timeout), version)
        try:
            return super().set_many(data, timeout, version)
        except _UNREACHABLE as exc:
            self._trip(exc)
            return self._fallback.set_many(data, self._short(timeout), version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("touch", key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        # From both: a key deleted now must not reappear from the local copy.
        local = self._fallback.delete(key, version)
        if self.is_down:
            return local
        try:
            return super().delete(key, version)
        except _UNREACHABLE as exc:
            self._trip(exc)
            return local

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        keys = list(keys)
        self._fallback.delete_many(keys, version)
        if not self.is_down:
            try:
                super().delete_many(keys, version)
            except _UNREACHABLE as exc:
                self._trip(exc)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call("incr", key, delta, version)

    def clear(self) -> None:
        self._fallback.clear()
        return self._call("clear")


def known_down(backend: Any) -> bool:
    """True while `backend` (a cache) is serving from its local fallback because
    Redis failed a moment ago; False for any other kind of cache."""
    return bool(getattr(backend, "is_down", False))


def resilient_caches() -> list[ResilientRedisCache]:
    """The configured caches of this kind (for health checks and tests)."""
    from django.core.cache import caches

    return [c for c in caches.all() if isinstance(c, ResilientRedisCache)]
