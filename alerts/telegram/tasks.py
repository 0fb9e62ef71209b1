"""Celery tasks for Telegram: thin wrappers over alerts.telegram.sender.

`send_chat` is queued by name on commit for each chat a post was written to
(alerts.telegram.services.send_soon); `send_telegram_posts` is beat's sweep,
which sends whatever is due and was not sent (a lost task, a broker that was
down, a post held back by Telegram's limits or a retry).
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from alerts.tasks import DATABASE_TRANSIENT
from alerts.telegram.selectors import chats_due
from alerts.telegram.sender import chat_send, posts_forget_old
from alerts.telegram.services import SEND_EXPIRES
from exitwatch.lib.jobs import TRANSIENT_RETRY, DeliveryCappedTask


@shared_task(
    base=DeliveryCappedTask, autoretry_for=DATABASE_TRANSIENT, **TRANSIENT_RETRY
)
def send_chat(chat_id: str) -> str:
    """Send one chat's due posts (its retries are scheduled in its rows)."""
    return chat_send(chat_id=chat_id)


@shared_task(base=DeliveryCappedTask)
def send_telegram_posts() -> int:
    """Beat's sweep: queue a send for every chat with a post due."""
    now = timezone.now()
    chats = chats_due(now=now)
    for chat_id in chats:
        send_chat.apply_async((chat_id,), expires=SEND_EXPIRES)
    posts_forget_old(now=now)
    return len(chats)
