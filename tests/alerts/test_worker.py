"""End to end with a real Celery worker on Redis and PostgreSQL: a crossing
update committed by the write path goes through the outbox to the broker, the
worker makes its event and delivery, and a receiver on loopback gets it signed
within 5 seconds.

Needs a PostgreSQL DATABASE_URL and REDIS_URL (skipped otherwise, never under
EXITWATCH_REQUIRE_SERVICES=1). The worker uses the test run's Redis database
(REDIS_URL: per xdist worker, its number plus the worker's) as its broker, as
tests/integration/test_worker.py does, and the test database, which is why
this test commits.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from django.db import transaction

from alerts.models import Delivery, DeliveryState
from alerts.signing import signature_valid
from routes.services import crossing_update_record
from tests.support.services import require_services, test_database_url
from tests.support.workerproc import worker_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db, tmp_path):
    require_services()
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        # The receiver is on loopback, over plain http.
        "WEBHOOK_ALLOW_HTTP": "1",
        "WEBHOOK_ALLOW_PRIVATE": "1",
    }
    started = worker_start(
        env=env, log=tmp_path / "worker.log", hostname=f"hooks-{os.getpid()}@127.0.0.1"
    )
    yield started
    started.kill()


def test_a_committed_update_reaches_the_receiver_through_a_real_worker(
    crossing, local_webhooks, receiver, subscribe, worker
):
    subscription = subscribe(receiver.url())
    started = time.monotonic()
    with transaction.atomic():
        crossing_update_record(
            crossing=crossing,
            source_kind="partner",
            status="closed",
            source_url="https://t.me/exitwatch_border/101",
        )
    try:
        [request] = receiver.wait(1, timeout=5)
    except AssertionError:
        print(worker.output())
        raise
    took = time.monotonic() - started
    assert took < 5
    body = json.loads(request.body)
    assert body["type"] == "crossing.status_changed"
    assert body["data"]["status"] == {"old": "unknown", "new": "closed"}
    assert signature_valid(
        secret=subscription.secret,
        msg_id=request.headers["webhook-id"],
        timestamp=int(request.headers["webhook-timestamp"]),
        body=request.body,
        header=request.headers["webhook-signature"],
    )
    deadline = time.monotonic() + 5
    while Delivery.objects.get().state != DeliveryState.DELIVERED:
        assert time.monotonic() < deadline, "the delivery was never marked delivered"
        time.sleep(0.1)
