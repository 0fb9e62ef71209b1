"""Loaded by pytest before Django (`-p tests.testenv`): safe defaults for test runs.

DATABASE_URL and REDIS_URL pass through untouched, so the same suite runs on SQLite
and local memory, or on the real PostgreSQL and Redis that .ci/run provides.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + "x" * 60)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
# Tests share Redis with a developer's own runs: keep their keys apart.
os.environ.setdefault("CACHE_KEY_PREFIX", "exitwatch-test")
# Read side: tests change the database without committing (no version bump), so the
# map snapshot must ask for the version on every request (see test_map.py).
os.environ.setdefault("MAP_SNAPSHOT_RECHECK_MS", "0")
