"""The sender keeps Telegram's limits from its own rows, honours a 429's
retry_after, backs off from network errors and gives up after a day."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from alerts.telegram.models import ChannelPost, PostKind, PostState
from alerts.telegram.sender import chat_send
from tests.support.ports import worker_port

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 5, 12, 11, 0, tzinfo=UTC)
CHAT = "4242"


def post(at, text="Upper Lars: open → closed"):
    return ChannelPost.objects.create(
        chat_id=CHAT, kind=PostKind.DIRECT, text=text, created_at=at, next_attempt_at=at
    )


def test_a_chat_gets_at_most_twenty_messages_a_minute(telegram):
    outcomes = []
    for i in range(21):
        at = T0 + timedelta(seconds=2 * i)
        post(at, f"change {i}")
        outcomes.append(chat_send(chat_id=CHAT, now=at))

    assert outcomes == ["sent"] * 20 + ["limited"]
    assert len(telegram.sent(CHAT)) == 20
    held = ChannelPost.objects.get(text="change 20")
    assert (held.state, held.next_attempt_at) == (
        PostState.PENDING,
        T0 + timedelta(minutes=1),
    )

    assert chat_send(chat_id=CHAT, now=T0 + timedelta(minutes=1)) == "sent"
    assert telegram.sent(CHAT)[-1]["text"] == "change 20"


def test_a_chat_gets_at_most_one_message_a_second(telegram):
    post(T0, "first")
    assert chat_send(chat_id=CHAT, now=T0) == "sent"
    post(T0, "second")
    assert chat_send(chat_id=CHAT, now=T0 + timedelta(milliseconds=300)) == "limited"
    assert chat_send(chat_id=CHAT, now=T0 + timedelta(seconds=1)) == "sent"
    assert [m["text"] for m in telegram.sent(CHAT)] == ["first", "second"]


def test_a_burst_too_long_for_one_message_is_split(telegram):
    for i in range(3):
        post(T0, f"{i}" * 2000)
    assert chat_send(chat_id=CHAT, now=T0) == "sent"
    assert chat_send(chat_id=CHAT, now=T0 + timedelta(seconds=1)) == "sent"
    first, second = telegram.sent(CHAT)
    assert len(first["text"]) == 2000 * 2 + 2 <= 4096
    assert second["text"] == "2" * 2000


def test_telegrams_retry_after_is_honoured(telegram):
    post(T0)
    telegram.too_many(retry_after=7)

    assert chat_send(chat_id=CHAT, now=T0) == "retry"
    row = ChannelPost.objects.get()
    assert (row.state, row.next_attempt_at) == (
        PostState.PENDING,
        T0 + timedelta(seconds=7),
    )
    assert "retry after 7" in row.last_error
    assert chat_send(chat_id=CHAT, now=T0 + timedelta(seconds=6)) == "nothing"
    assert chat_send(chat_id=CHAT, now=T0 + timedelta(seconds=7)) == "sent"
    assert len(telegram.calls) == 2


def test_a_network_error_backs_off_and_a_day_later_the_post_is_dropped(
    telegram, settings
):
    settings.TELEGRAM_API_URL = f"http://127.0.0.1:{worker_port(8760)}"  # nobody
    post(T0)
    assert chat_send(chat_id=CHAT, now=T0) == "retry"
    row = ChannelPost.objects.get()
    assert timedelta(seconds=24) <= row.next_attempt_at - T0 <= timedelta(seconds=36)
    assert settings.TELEGRAM_BOT_TOKEN not in row.last_error

    assert chat_send(chat_id=CHAT, now=T0 + timedelta(hours=24, seconds=1)) == (
        "nothing"
    )
    row.refresh_from_db()
    assert row.state == PostState.FAILED
    assert row.last_error.startswith("gave up")


def test_a_follower_who_blocked_the_bot_is_forgotten(telegram):
    from alerts.telegram.models import BotChat
    from alerts.telegram.services import chat_follow

    chat_follow(chat_id=CHAT, language="en", crossing_slug="upper-lars")
    post(timezone.now())
    telegram.answers.append(
        (403, {"ok": False, "error_code": 403, "description": "Forbidden: blocked"})
    )
    assert chat_send(chat_id=CHAT) == "failed"
    assert not BotChat.objects.filter(chat_id=CHAT).exists()
    assert not ChannelPost.objects.filter(chat_id=CHAT).exists()
