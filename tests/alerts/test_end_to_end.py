"""From the write path to a partner's endpoint: a crossing update committed in
one transaction reaches a webhook receiver on loopback, validly signed, within
seconds; Celery runs in-process here (tests/alerts/test_worker.py does the same
with a real worker and Redis)."""

import json
import time

import pytest
from django.db import transaction

from alerts.signing import signature_valid
from routes.services import crossing_update_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_update_reaches_the_receiver_signed(
    crossing, local_webhooks, receiver, subscribe, eager_celery
):
    subscription = subscribe(receiver.url(), wait_threshold_minutes={"car": 360})
    started = time.monotonic()
    with transaction.atomic():
        crossing_update_record(
            crossing=crossing,
            source_kind="partner",
            status="closed",
            waits={"car": 420},
            source_url="https://t.me/exitwatch_border/101",
        )
        assert receiver.received == []  # nothing leaves before the commit
    arrived = receiver.wait(2, timeout=5)
    assert time.monotonic() - started < 5
    kinds = sorted(json.loads(r.body)["type"] for r in arrived)
    assert kinds == ["crossing.status_changed", "crossing.wait_threshold"]
    for request in arrived:
        assert signature_valid(
            secret=subscription.secret,
            msg_id=request.headers["webhook-id"],
            timestamp=int(request.headers["webhook-timestamp"]),
            body=request.body,
            header=request.headers["webhook-signature"],
        )
