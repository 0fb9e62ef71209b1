"""Tasks recorded with their data survive a broker outage and are sent after it."""

import json
import sys
from datetime import timedelta

import pytest
import redis
from celery import shared_task
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from exitwatch.celery import app
from exitwatch.lib.cache import ResilientRedisCache
from outbox import services
from outbox.models import OutboxMessage
from outbox.services import outbox_drain, outbox_enqueue

pytestmark = pytest.mark.django_db(transaction=True)

ran: list[int] = []
NOW = timedelta(0)  # drain rows however fresh


@shared_task(name="tests.outbox.record")
def record(number: int) -> None:
    ran.append(number)


@pytest.fixture
def eager():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    ran.clear()
    yield
    app.conf.task_always_eager = saved


def queued(server) -> list[dict]:
    client = redis.Redis.from_url(server.url)
    return [json.loads(raw) for raw in client.lrange("celery", 0, -1)]


def test_a_task_is_sent_once_its_transaction_commits(eager):
    with transaction.atomic():
        message = outbox_enqueue(task="tests.outbox.record", args=[7])
        assert ran == []  # not before the commit
    assert ran == [7]
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(eager):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(task="tests.outbox.record", args=[8])
        raise RuntimeError("the data write failed")
    assert ran == []
    assert not OutboxMessage.objects.exists()


def test_with_the_broker_down_the_message_waits_and_the_drain_sends_it(broker):
    broker.stop()
    with transaction.atomic():
        outbox_enqueue(task="tests.outbox.record", args=[9])
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "OperationalError" in message.last_error or "Error" in message.last_error

    assert outbox_drain(min_age=NOW) == 0
    broker.start()
    assert outbox_drain(min_age=NOW) == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    [body] = queued(broker)
    assert body["headers"]["task"] == "tests.outbox.record"
    # Drained once: a second drain sends nothing again.
    assert outbox_drain(min_age=NOW) == 0
    assert len(queued(broker)) == 1


def test_the_drain_command_says_what_is_left_and_fails_while_the_broker_is_down(
    broker, capsys
):
    broker.stop()
    outbox_enqueue(task="tests.outbox.record", args=[10])
    OutboxMessage.objects.update(created_at="2000-01-01T00:00:00Z")
    with pytest.raises(Exception, match="1 message"):
        call_command("drain_outbox")
    broker.start()
    call_command("drain_outbox")
    assert "sent 1, pending 0" in capsys.readouterr().out


def test_nothing_is_tried_while_the_cache_knows_redis_is_down(broker, monkeypatch):
    # The web process's cache found Redis away a moment ago.
    dead = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {}})
    dead.get("anything")
    assert dead.is_down
    monkeypatch.setattr(services, "cache", dead)
    outbox_enqueue(task="tests.outbox.record", args=[11])
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 0  # not even an attempt: no request waits for it
    assert queued(broker) == []


def test_a_task_whose_module_this_process_never_imported_is_sent_and_run(
    eager, monkeypatch
):
    # A web process imports no task modules (a worker does, at start): the
    # outbox loads them as a worker would, rather than lose the message.
    from routes.reports.models import TravellerReport
    from tests.routes.reports.reporting import ReportFactory

    old = ReportFactory(submitted_at=timezone.now() - timedelta(days=400))
    monkeypatch.delitem(sys.modules, "routes.reports.tasks", raising=False)
    for name in [n for n in app.tasks if n.startswith("routes.reports.tasks.")]:
        monkeypatch.delitem(app.tasks, name)
    with transaction.atomic():
        message = outbox_enqueue(task="routes.reports.tasks.purge_old_reports")
    message.refresh_from_db()
    assert (message.sent_at is not None, message.attempts) == (True, 0)
    assert not TravellerReport.objects.filter(pk=old.pk).exists()  # it ran


def test_a_task_no_code_defines_stays_pending_with_the_reason(eager):
    with transaction.atomic():
        outbox_enqueue(task="routes.flights.tasks.no_such_task")
    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert message.last_error.startswith("NotRegistered")
