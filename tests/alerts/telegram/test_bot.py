"""The bot in webhook mode: only Telegram (the secret header) gets in; /status,
/follow, /unfollow and /stop do what they say; followers hear of their
crossing's changes; nothing about a person but the chat id is kept."""

import json
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts.telegram.models import BotChat, ChannelPost, Follow, PostKind
from alerts.telegram.sender import posts_send_due
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox
from tests.alerts.telegram.conftest import SECRET
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db

CHAT = "777000111"
URL = "/telegram/webhook/"


def send(client, text, *, language="en", secret=SECRET, chat=CHAT):
    update = {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "from": {
                "id": int(chat),
                "first_name": "Olga",
                "username": "olga_leaving",
                "language_code": language,
            },
            "chat": {"id": int(chat), "type": "private", "first_name": "Olga"},
            "date": 1747047900,
            "text": text,
        },
    }
    return client.post(
        URL,
        data=json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )


def last_reply(chat=CHAT):
    return (
        ChannelPost.objects.filter(chat_id=chat, kind=PostKind.REPLY).latest("id").text
    )


def test_the_webhook_refuses_a_wrong_or_missing_secret(client, telegram):
    assert send(client, "/start", secret="guess").status_code == 403
    response = client.post(URL, data="{}", content_type="application/json")
    assert response.status_code == 403
    assert ChannelPost.objects.count() == 0


def test_the_webhook_refuses_everyone_when_no_secret_is_set(client, telegram, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    assert send(client, "/start", secret="").status_code == 403


def test_start_answers_in_the_users_language_through_the_sender(client, telegram):
    assert send(client, "/start").status_code == 200
    assert "/follow" in last_reply()
    posts_send_due(now=timezone.now())
    [reply] = telegram.sent(CHAT)
    assert "/status" in reply["text"]
    assert "privacy" in reply["text"]


def test_status_finds_a_crossing_by_its_russian_name_in_any_case(
    client, crossing, telegram
):
    send(client, "/status ВЕРХНИЙ ларс", language="ru")
    text = last_reply()
    assert text.startswith("⚪ Верхний Ларс (Грузия)")
    assert "https://exitwatch.example/crossings/upper-lars/" in text


def test_status_reads_each_side_the_waits_and_their_age(client, crossing, telegram):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="closed",
        side="neighbour",
        waits={"car": 380},
        source_url="https://t.me/exitwatch_border/101",
        observed_at=timezone.now() - timezone.timedelta(hours=3),
    )
    send(client, "/status upper-lars")
    lines = last_reply().splitlines()
    assert lines[0] == "🔴 Upper Lars (Georgia): closed"
    assert lines[1].startswith("Russian side: unknown")
    assert lines[2].startswith("Other side: closed") and "3\xa0hours ago" in lines[2]
    assert lines[3].startswith("Waits: cars 6 h 20 min")


def test_status_of_a_country_lists_its_crossings(client, crossing, telegram):
    CrossingFactory(slug="kazbegi-rail", name_en="Kazbegi rail", country="GE")
    CrossingFactory(slug="narva", name_en="Narva", country="EE")
    for query in ("GE", "georgia", "Грузия"):
        send(client, f"/status {query}")
        text = last_reply()
        assert text.startswith("Crossings to Georgia:")
        assert "Upper Lars" in text and "Kazbegi rail" in text
        assert "Narva" not in text


def test_status_of_something_unknown_suggests_close_names(client, crossing, telegram):
    send(client, "/status upper lrs")
    text = last_reply()
    assert "Nothing called “upper lrs” was found." in text
    assert "Did you mean: Upper Lars" in text


def test_follow_then_unfollow_keeps_then_forgets_the_chat(client, crossing, telegram):
    send(client, "/follow upper-lars", language="ru")
    chat = BotChat.objects.get(chat_id=CHAT)
    assert chat.language == "ru"
    assert list(chat.follows.values_list("crossing_slug", "country")) == [
        ("upper-lars", "")
    ]
    send(client, "/follow Georgia")
    assert Follow.objects.filter(chat=chat).count() == 2

    send(client, "/unfollow upper-lars")
    assert list(Follow.objects.values_list("country", flat=True)) == ["GE"]
    send(client, "/unfollow all")
    assert not BotChat.objects.exists()


def test_stop_leaves_no_row_for_the_chat(client, crossing, telegram):
    send(client, "/follow upper-lars")
    send(client, "/status upper-lars")
    assert ChannelPost.objects.filter(chat_id=CHAT).exists()

    response = send(client, "/stop")

    assert response.status_code == 200
    assert response.json()["method"] == "sendMessage"
    assert response.json()["chat_id"] == CHAT
    assert not BotChat.objects.filter(chat_id=CHAT).exists()
    assert not Follow.objects.exists()
    assert not ChannelPost.objects.filter(chat_id=CHAT).exists()


def test_a_follower_hears_of_its_crossings_change(client, crossing, telegram):
    send(client, "/follow upper-lars")
    other = "555"
    send(client, "/follow narva", chat=other)  # not found: follows nothing
    ChannelPost.objects.filter(kind=PostKind.REPLY).delete()

    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="closed",
        source_url="https://t.me/exitwatch_border/101",
    )
    run_outbox()
    posts_send_due(now=timezone.now())

    [direct] = telegram.sent(CHAT)
    assert direct["text"].startswith("🔴 Upper Lars (Georgia): unknown → closed")
    assert telegram.sent(other) == []
    assert len(telegram.sent("@exitwatch_ru")) == 1


def test_nothing_but_the_chat_id_is_kept_about_a_person(
    client, crossing, telegram, caplog
):
    caplog.set_level(logging.DEBUG)
    send(client, "/follow upper-lars")
    assert {f.name for f in BotChat._meta.get_fields()} == {
        "id",
        "chat_id",
        "language",
        "created_at",
        "follows",
    }
    assert {f.name for f in Follow._meta.get_fields()} == {
        "id",
        "chat",
        "crossing_slug",
        "country",
    }
    kept = str(list(BotChat.objects.values())) + str(
        list(ChannelPost.objects.values("text", "chat_id"))
    )
    for personal in ("Olga", "olga_leaving", "/follow"):
        assert personal not in kept
        assert personal not in caplog.text


def test_a_malformed_body_is_a_400_and_other_updates_a_200(client, telegram):
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": SECRET}
    bad = client.post(URL, data="nope", content_type="application/json", **headers)
    assert bad.status_code == 400
    edited = client.post(
        URL,
        data=json.dumps({"update_id": 2, "edited_message": {}}),
        content_type="application/json",
        **headers,
    )
    assert edited.status_code == 200


def test_set_webhook_sends_the_url_and_the_secret(telegram):
    call_command(
        "telegram_set_webhook", url="https://exitwatch.example/telegram/webhook/"
    )
    [call] = telegram.calls
    assert call.method == "setWebhook"
    assert call.payload["url"] == "https://exitwatch.example/telegram/webhook/"
    assert call.payload["secret_token"] == SECRET
    with pytest.raises(CommandError, match="https://"):
        call_command("telegram_set_webhook", url="http://exitwatch.example/x")
