"""Fixtures for these tests."""

from tests.support.ownredis import broker, own_redis  # noqa: F401  (a Redis of our own)
