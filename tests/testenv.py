"""Loaded by pytest before Django (`-p tests.testenv`): safe defaults for test runs.

DATABASE_URL and REDIS_URL pass through untouched, so the same suite runs on SQLite
and local memory, or on the real PostgreSQL and Redis that .ci/run provides. Under
pytest-xdist (`make test` runs two workers) each worker gets a database of its own:
pytest-django names a test database per worker, and here each worker takes its own
Redis database, REDIS_URL's number plus the worker's, because tests empty theirs
(cache.clear() is FLUSHDB) and a Celery worker a test starts must not take another
test's tasks.
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # redis-server's default `databases`


def redis_url_for_worker(url: str, worker: int) -> str:
    """`url` with its database number moved on by `worker`."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    if base + worker >= REDIS_DATABASES:
        raise RuntimeError(
            f"REDIS_URL={url}: xdist worker {worker} would need Redis database "
            f"{base + worker}; use a lower database number or fewer workers"
        )
    return urlunsplit(parts._replace(path=f"/{base + worker}"))


os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + "x" * 60)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
# Production requires a second factor for staff; tests that log in through the
# admin form say when they want it (tests/exitwatch/test_admin_protection.py).
os.environ.setdefault("DJANGO_ADMIN_REQUIRE_OTP", "0")
# Tests share Redis with a developer's own runs: keep their keys apart.
os.environ.setdefault("CACHE_KEY_PREFIX", "exitwatch-test")
# Read side: tests change the database without committing (no version bump), so the
# map snapshot must ask for the version on every request (see test_map.py).
os.environ.setdefault("MAP_SNAPSHOT_RECHECK_MS", "0")

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1... under xdist
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_url_for_worker(
        os.environ["REDIS_URL"], int(_worker.removeprefix("gw"))
    )
