"""A throwaway redis-server for tests that stop and start Redis.

Never the shared server: other test runs and developers use it. The process
helpers are tests.workerproc's; ports come from 8580-8599.
"""

from collections.abc import Iterator

import pytest

from tests.workerproc import PrivateRedis, free_port

PORT_RANGE = "8580-8599"


@pytest.fixture
def own_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port(PORT_RANGE))
    server.start()
    yield server
    server.stop()
