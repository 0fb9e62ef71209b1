"""Fixtures for these tests."""

from tests.support.ownredis import own_redis  # noqa: F401  (a Redis of our own to stop)
