"""A throwaway redis-server for tests that stop and start Redis.

Never the shared server: other test runs and developers use it. The process
helpers are tests.support.workerproc's; ports come from 8580-8599 (moved into an
xdist worker's own block).
"""

from collections.abc import Iterator

import pytest
from kombu import pools

from exitwatch.celery import app
from tests.support.ports import worker_range
from tests.support.workerproc import PrivateRedis, free_port

PORT_RANGE = worker_range("8580-8599")


@pytest.fixture
def own_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port(PORT_RANGE))
    server.start()
    yield server
    server.stop()


def reset_producers() -> None:
    # Celery keeps connections to the broker it was first given; drop them.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(own_redis: PrivateRedis) -> Iterator[PrivateRedis]:
    """This process's Celery app sending to our own Redis (not eagerly), which
    the test may stop and start."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = own_redis.url, False
    reset_producers()
    yield own_redis
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_producers()
