"""Tests that need the real PostgreSQL and Redis."""

import os

import pytest
from django.db import connection


def require_services(*, postgres: bool = True, redis: bool = True) -> None:
    """Skip a test that needs real services, with the reason; under
    EXITWATCH_REQUIRE_SERVICES=1 (CI) fail instead, so CI never skips it."""
    missing = []
    if postgres and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        missing.append("a PostgreSQL DATABASE_URL")
    if redis and not os.environ.get("REDIS_URL"):
        missing.append("REDIS_URL")
    if not missing:
        return
    reason = "needs " + " and ".join(missing)
    if os.environ.get("EXITWATCH_REQUIRE_SERVICES") == "1":
        pytest.fail(reason + " (EXITWATCH_REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(reason)


def test_database_url() -> str:
    """The test database as a URL, for the processes a test starts (a worker)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


test_database_url.__test__ = False  # a helper, not a test
