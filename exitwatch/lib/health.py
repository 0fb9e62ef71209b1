"""Liveness and readiness for load balancers and orchestrators.

/healthz answers without touching anything: the process is up. /readyz checks the
database (required: without it nothing is served) and Redis (optional: the site
keeps answering from the database without it, see exitwatch.lib.cache). So Redis down
makes readiness "degraded" with 200, not 503: taking every web replica out of the
load balancer because the cache is away would turn a slowdown into an outage.
Each check has a short timeout so a hung dependency cannot hang the probe.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 1.0


def _failure(name: str, exc: BaseException) -> str:
    # The probe is reachable from outside: name the kind of failure, keep the
    # message (host names, addresses) for the log.
    log.warning("readiness: %s check failed: %s", name, exc)
    return type(exc).__name__


def _check_database() -> str | None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Bounded: a locked or overloaded server must not hang the probe.
                timeout_ms = int(CHECK_TIMEOUT_SECONDS * 1000)
                cursor.execute(f"SET LOCAL statement_timeout = {timeout_ms}")
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"
        return _failure("database", exc)
    return None


def _check_redis() -> str | None:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
            socket_timeout=CHECK_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError) as exc:
        return _failure("redis", exc)
    return None


def _timed(check: Callable[[], str | None]) -> dict[str, object]:
    started = time.monotonic()
    error = check()
    result: dict[str, object] = {
        "ok": error is None,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }
    if error:
        result["error"] = error
    return result


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Never touches a dependency."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database answers, 503 (with the reason) when not."""
    checks = {"database": _timed(_check_database)}
    if settings.REDIS_URL:
        checks["redis"] = _timed(_check_redis)
    if not checks["database"]["ok"]:
        status, code = "unavailable", 503
    elif not all(c["ok"] for c in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse(
        {"status": status, "read_only": settings.READ_ONLY, "checks": checks},
        status=code,
    )


class HealthCheckMiddleware:
    """Answer the probes before host validation, the HTTPS redirect and sessions.

    Probes come from inside the network (a container healthcheck, a load balancer)
    by address, not by the public host name, and over plain HTTP: letting them
    through ALLOWED_HOSTS and SECURE_SSL_REDIRECT would make them fail for the
    wrong reason. They reveal nothing that depends on the host.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = {"/healthz": healthz, "/readyz": readyz}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path)
        if view is not None:
            return view(request)
        return self.get_response(request)
