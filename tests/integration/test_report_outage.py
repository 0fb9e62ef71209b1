"""A traveller report sent while Redis (cache and broker) is down: stored, and
once Redis is back beat's sweep, run by a real Celery worker, e-mails the
moderators about it: the report row itself is the queue.

Needs a PostgreSQL DATABASE_URL and REDIS_URL (see test_worker.py); the Redis
stopped here is a private one, never the shared server.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from kombu.exceptions import OperationalError

from exitwatch.lib.cache import known_down
from exitwatch.lib.coarse_time import PUBLIC_TIME_STEP
from routes.reports.models import TravellerReport
from routes.reports.tasks import notify_moderators
from tests.factories import CrossingFactory, EditorFactory
from tests.routes.reports.reporting import payload, post_report
from tests.support.services import test_database_url
from tests.support.waiting import wait_for
from tests.support.workerproc import worker_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def sweep() -> bool:
    """Send the sweep as beat does; False while the broker is not back yet."""
    try:
        notify_moderators.apply_async(retry=False)
    except OperationalError:
        return False
    return True


def test_a_report_sent_while_redis_is_down_is_kept_and_announced_when_it_returns(
    on_private_redis, tmp_path
):
    redis = on_private_redis
    CrossingFactory(slug="upper-lars", name_en="Upper Lars")
    EditorFactory(username="nino", email="nino@exitwatch.example")
    mailbox = tmp_path / "mail"
    worker = worker_start(
        env={
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mailbox),
        },
        log=tmp_path / "worker.log",
        hostname=f"report-outbox-{os.getpid()}@127.0.0.1",
    )
    try:
        redis.stop()
        response = post_report(Client(), payload(note="Slow on the Georgian side"))
        assert response.status_code == 201, response.content
        assert known_down(cache)
        report = TravellerReport.objects.get(public_id=response.json()["id"])
        assert report.moderators_notified_at is None

        # The outage outlasts the report's 5-minute step (no notice tells of a
        # report sooner); then Redis is back, empty: the worker reconnects.
        TravellerReport.objects.update(
            submitted_at=F("submitted_at") - PUBLIC_TIME_STEP
        )
        redis.start()
        wait_for(sweep, 30, "beat's sweep to reach the broker")
        took = wait_for(
            lambda: TravellerReport.objects.filter(
                pk=report.pk, moderators_notified_at__isnull=False
            ).exists(),
            60,
            "the worker to notify the moderators",
        )
        # The report is marked before the task ends: wait for its success line.
        wait_for(
            lambda: "'status': 'sent', 'reports': 1" in worker.output(),
            30,
            "the task to succeed",
        )
    finally:
        worker.kill()
    assert f"Task {notify_moderators.name}[" in worker.output()
    [sent] = list(mailbox.iterdir())
    text = sent.read_text()
    assert "nino@" not in text  # Bcc: no moderator's address in the message
    assert "1 traveller report waits for moderation" in text
    assert "Upper Lars: 1" in text
    assert "Georgian" not in text
    print(f"\nreport kept through the outage; moderators e-mailed {took:.1f} s after")
