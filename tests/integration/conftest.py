"""Fixtures for these tests."""

import pytest

from tests.support.ownredis import broker, own_redis  # noqa: F401  (a Redis of our own)
from tests.support.services import require_services
from tests.support.workerproc import PrivateRedis


@pytest.fixture
def on_private_redis(broker: PrivateRedis, settings) -> PrivateRedis:  # noqa: F811
    """This process's cache and Celery app on the private Redis, as the web
    processes share one Redis for both in production."""
    require_services()
    settings.CACHES = {
        "default": {
            "BACKEND": "exitwatch.lib.cache.ResilientRedisCache",
            "LOCATION": broker.url,
            "KEY_PREFIX": "exitwatch-test",
            "OPTIONS": {"retry_after": 1, "fallback_timeout": 5},
        }
    }
    return broker
