"""A status change saved in the admin, end to end with a real Celery worker on a
Redis of our own: it is in the Atom feed, at a partner's webhook receiver
(validly signed) and at the Telegram Bot API (a fake one on loopback) within
5 seconds; and with Redis down the change is kept and arrives, once, when Redis
is back and beat's drain sends the outbox.

Needs a PostgreSQL DATABASE_URL and REDIS_URL (skipped otherwise, never under
EXITWATCH_REQUIRE_SERVICES=1). The worker's broker is a private redis-server
(tests.support.ownredis), never the shared one; the worker uses the test
database, which is why these tests commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable, Iterator

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from kombu.exceptions import OperationalError

from alerts.models import Delivery, DeliveryState
from alerts.services import subscription_create
from alerts.tasks import send_due_webhooks
from alerts.telegram.models import ChannelPost, PostState
from alerts.telegram.tasks import send_telegram_posts
from exitwatch.lib.cache import known_down
from outbox.models import OutboxMessage
from outbox.services import DRAIN_MIN_AGE
from outbox.tasks import outbox_drain_task
from routes.models import BorderCrossing
from tests.alerts.receiver import Receiver
from tests.factories import CrossingFactory, EditorFactory, UserFactory
from tests.routes.test_admin import change_url, form_data
from tests.support.botserver import BotServer
from tests.support.services import test_database_url
from tests.support.waiting import wait_for
from tests.support.workerproc import PrivateRedis, Worker, worker_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories' for every user
TOKEN = "123456:TEST-token"
CHANNELS = {"ru": "@exitwatch_ru", "en": "@exitwatch_en"}


@pytest.fixture
def worker(
    on_private_redis: PrivateRedis, bot_api: BotServer, tmp_path
) -> Iterator[Worker]:
    """A real worker on the private Redis, posting to the fake Bot API and
    allowed to deliver webhooks to loopback over http."""
    started = worker_start(
        env={
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": on_private_redis.url,
            "WEBHOOK_ALLOW_HTTP": "1",
            "WEBHOOK_ALLOW_PRIVATE": "1",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_CHANNEL_RU": CHANNELS["ru"],
            "TELEGRAM_CHANNEL_EN": CHANNELS["en"],
            "TELEGRAM_API_URL": bot_api.url,
            "SITE_URL": "https://exitwatch.example",
        },
        log=tmp_path / "worker.log",
        hostname=f"alerts-{os.getpid()}@127.0.0.1",
    )
    yield started
    started.kill()


@pytest.fixture
def crossing() -> BorderCrossing:
    return CrossingFactory(
        slug="upper-lars", name_en="Upper Lars", name_ru="Верхний Ларс"
    )


@pytest.fixture
def subscription(receiver: Receiver, settings):
    """Ana, a partner, subscribed to every event at the receiver (on loopback,
    over http, as only tests and development allow)."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
    ana = UserFactory(username="ana")
    ana.groups.add(Group.objects.get(name="Webhook partners"))
    return subscription_create(owner=ana, target_url=receiver.url())


@pytest.fixture
def nino(crossing) -> Client:
    """Nino, a crossing editor, logged in to the admin with her password."""
    EditorFactory(username="nino")
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "nino", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return client


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """docs/webhooks.md's verification, as a receiver would write it."""
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = (
        "v1,"
        + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    )
    return any(
        hmac.compare_digest(expected, candidate)
        for candidate in headers["webhook-signature"].split()
    )


def closing_form(client: Client, crossing: BorderCrossing, note: str) -> dict:
    """The crossing's change form filled in with "closed, both sides"."""
    return form_data(
        client,
        crossing,
        status="closed",
        update_side="both",
        update_note=note,
        update_source_url="https://t.me/exitwatch_border/101",
    )


def save(client: Client, crossing: BorderCrossing, data: dict) -> None:
    """Submit the change form, as a browser would."""
    response = client.post(change_url(crossing), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def feed_titles() -> list[str]:
    response = Client().get("/feeds/changes.atom")
    assert response.status_code == 200
    return [entry.title for entry in feedparser.parse(response.content).entries]


def first_time(check: Callable[[], object], started: float, what: str) -> float:
    """Seconds from `started` until `check` first held (within 5 s of it)."""
    wait_for(check, max(0.0, started + 5 - time.monotonic()), what, every=0.02)
    return time.monotonic() - started


def channel_texts(bot_api: BotServer) -> dict[str, list[str]]:
    return {
        language: [m["text"] for m in bot_api.sent(chat)]
        for language, chat in CHANNELS.items()
    }


def test_a_status_change_saved_in_the_admin_reaches_feed_webhook_and_telegram(
    crossing, subscription, nino, receiver, bot_api, worker
):
    assert feed_titles() == []
    data = closing_form(nino, crossing, "Closed by decree")
    started = time.monotonic()
    save(nino, crossing, data)

    in_feed = first_time(
        lambda: any(t.startswith("Upper Lars") for t in feed_titles()),
        started,
        "the change in the Atom feed",
    )
    try:
        at_receiver = first_time(
            lambda: receiver.received, started, "the webhook at the receiver"
        )
        on_telegram = first_time(
            lambda: all(channel_texts(bot_api).values()),
            started,
            "a post in both channels",
        )
    except AssertionError:
        print(worker.output())
        raise

    [title] = feed_titles()
    assert "Closed" in title
    [request] = receiver.received
    assert verify(subscription.secret, request.headers, request.body)
    assert b'"new":"closed"' in request.body
    texts = channel_texts(bot_api)
    assert len(texts["ru"]) == len(texts["en"]) == 1
    assert "Верхний Ларс" in texts["ru"][0]
    assert "Upper Lars" in texts["en"][0]
    print(
        f"\nadmin POST → Atom feed {in_feed:.2f} s, webhook {at_receiver:.2f} s, "
        f"Telegram {on_telegram:.2f} s"
    )


def drain_as_beat() -> bool:
    """Send beat's drain task to the broker; False while it is not back yet."""
    try:
        outbox_drain_task.apply_async(retry=False, expires=14)
    except OperationalError:
        return False
    return True


def test_a_change_made_while_redis_is_down_arrives_once_when_it_is_back(
    crossing, subscription, nino, receiver, bot_api, worker, on_private_redis
):
    redis = on_private_redis
    data = closing_form(nino, crossing, "Closed while Redis was away")
    redis.stop()
    save(nino, crossing, data)

    # The change and its outbox message were committed together; nothing left.
    crossing.refresh_from_db()
    assert crossing.status == "closed"
    [message] = OutboxMessage.objects.filter(task="alerts.tasks.event_from_update")
    assert message.sent_at is None
    assert known_down(cache)
    assert receiver.received == [] and bot_api.sent() == []

    # The outage outlasts the drain's minimum age (which leaves fresh rows to
    # their own request's on-commit send); then Redis is back, empty.
    OutboxMessage.objects.update(created_at=F("created_at") - DRAIN_MIN_AGE)
    redis.start()
    back = time.monotonic()
    wait_for(drain_as_beat, 30, "beat's drain to reach the broker")
    try:
        wait_for(
            lambda: receiver.received and all(channel_texts(bot_api).values()),
            30,
            "the webhook and both channel posts",
        )
        # Done means recorded: the rows say so, and nothing more was sent.
        wait_for(
            lambda: (
                Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 1
                and ChannelPost.objects.filter(state=PostState.SENT).count() == 2
            ),
            10,
            "the delivery and the posts to be recorded as sent",
        )
    except AssertionError:
        print(worker.output())
        raise
    took = time.monotonic() - back
    message.refresh_from_db()
    assert message.sent_at is not None
    # Beat's sweeps and drain, run once more now, find nothing left to send.
    for task in (outbox_drain_task, send_due_webhooks, send_telegram_posts):
        sent = task.apply_async(retry=False)
        wait_for(
            lambda sent=sent: f"[{sent.id}] succeeded" in worker.output(),
            10,
            f"{task.name} to run",
        )
    [request] = receiver.received
    assert verify(subscription.secret, request.headers, request.body)
    texts = channel_texts(bot_api)
    assert len(texts["ru"]) == len(texts["en"]) == 1
    assert Delivery.objects.get().attempts == 1
    print(f"\nRedis back: webhook and Telegram posts arrived {took:.1f} s later")
