"""Writes for Telegram: posts for a status change, a chat's follows, its end.

Posts are rows first (the sender sends them): written in the transaction of
what they tell of, and queued for sending once that commits. A broker that is
down loses nothing: beat's sweep (alerts.telegram.tasks.send_telegram_posts)
and `manage.py send_telegram_posts` send what is due.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alerts.models import Event, EventKind
from alerts.telegram.models import BotChat, ChannelPost, Follow, Language, PostKind
from alerts.telegram.selectors import followers_of
from alerts.telegram.texts import change_text
from outbox.services import BROKER_DOWN

log = logging.getLogger(__name__)

SEND_TASK = "alerts.telegram.tasks.send_chat"
# A queued send older than this is dropped by the broker; the sweep queues it
# again if its posts are still due.
SEND_EXPIRES = 60
# Enough for a family's crossings and countries; bounds one chat's messages.
MAX_FOLLOWS = 50


def bot_enabled() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN)


def send_soon(chat_ids: Iterable[str]) -> None:
    """Queue a send for each chat once the caller's transaction commits."""
    chats = list(dict.fromkeys(chat_ids))

    def send() -> None:
        # Looked up by name: the tasks module imports this one. A registered
        # task also honours eager mode (development without Redis).
        task = current_app.tasks.get(SEND_TASK)
        for chat_id in chats:
            try:
                if task is None:
                    current_app.send_task(
                        SEND_TASK, args=(chat_id,), expires=SEND_EXPIRES
                    )
                else:
                    task.apply_async((chat_id,), expires=SEND_EXPIRES)
            except BROKER_DOWN:
                log.warning("telegram posts wait for the sweep: broker down")
                return

    if chats:
        transaction.on_commit(send, robust=True)


def channels() -> dict[str, str]:
    """The configured channels: {language: chat id or @name}."""
    configured = {
        Language.RU: settings.TELEGRAM_CHANNEL_RU,
        Language.EN: settings.TELEGRAM_CHANNEL_EN,
    }
    return {language: chat for language, chat in configured.items() if chat}


def _post(*, chat_id: str, kind: str, event: Event, text: str) -> str | None:
    _row, created = ChannelPost.objects.get_or_create(
        event=event,
        chat_id=chat_id,
        defaults={"kind": kind, "text": text, "next_attempt_at": event.recorded_at},
    )
    return chat_id if created else None


@transaction.atomic
def posts_for_event(event: Event) -> list[str]:
    """A post per configured channel in its language, and a message to each
    chat following the crossing or its country; the chats written to.

    Called by alerts.events for each new status_change event, in its
    transaction. Without a bot token nothing is written."""
    if not bot_enabled() or event.kind != EventKind.STATUS_CHANGE:
        return []
    chats = [
        _post(
            chat_id=chat_id,
            kind=PostKind.CHANNEL,
            event=event,
            text=change_text(event, language),
        )
        for language, chat_id in channels().items()
    ]
    crossing = event.crossing
    texts: dict[str, str] = {}
    for chat in followers_of(crossing_slug=crossing.slug, country=event.country):
        if chat.language not in texts:
            texts[chat.language] = change_text(event, chat.language)
        chats.append(
            _post(
                chat_id=chat.chat_id,
                kind=PostKind.DIRECT,
                event=event,
                text=texts[chat.language],
            )
        )
    written = [c for c in chats if c]
    send_soon(written)
    return written


@transaction.atomic
def reply_write(*, chat_id: str, text: str, now: datetime | None = None) -> None:
    """A reply to a command, sent by the sender like any post."""
    if not bot_enabled():
        return
    now = now or timezone.now()
    ChannelPost.objects.create(
        chat_id=chat_id,
        kind=PostKind.REPLY,
        text=text,
        created_at=now,
        next_attempt_at=now,
    )
    send_soon([chat_id])


@transaction.atomic
def chat_follow(
    *, chat_id: str, language: str, crossing_slug: str = "", country: str = ""
) -> bool:
    """Follow a crossing or a country; False when the chat follows too many."""
    chat, created = BotChat.objects.get_or_create(
        chat_id=chat_id, defaults={"language": language}
    )
    if not created and chat.language != language:
        BotChat.objects.filter(pk=chat.pk).update(language=language)
    if chat.follows.count() >= MAX_FOLLOWS:
        return False
    Follow.objects.get_or_create(
        chat=chat, crossing_slug=crossing_slug, country=country
    )
    return True


@transaction.atomic
def chat_unfollow(
    *,
    chat_id: str,
    crossing_slug: str = "",
    country: str = "",
    everything: bool = False,
) -> int:
    """Stop following one thing, or everything; how many follows went. A chat
    left following nothing is deleted: nothing is kept without a reason."""
    follows = Follow.objects.filter(chat__chat_id=chat_id)
    if not everything:
        follows = follows.filter(crossing_slug=crossing_slug, country=country)
    removed, _kinds = follows.delete()
    BotChat.objects.filter(chat_id=chat_id, follows__isnull=True).delete()
    return removed


@transaction.atomic
def chat_stop(*, chat_id: str) -> None:
    """/stop: delete the chat, what it follows and every post to it."""
    BotChat.objects.filter(chat_id=chat_id).delete()
    ChannelPost.objects.filter(chat_id=chat_id).exclude(kind=PostKind.CHANNEL).delete()
