"""Sending a chat's due posts: claim them, collapse them, keep Telegram's limits.

One run for one chat:
1. Posts pending longer than TELEGRAM_GIVE_UP_HOURS fail.
2. Telegram's limits, counted from the rows (a sent row carries the id of the
   message it went in): at most 20 messages a minute and one a second to one
   chat, about 30 a second from the bot in all. Over a limit, the chat's due
   posts wait until the window has room, still pending.
3. The chat's due posts are claimed with one conditional UPDATE (pending,
   due, unclaimed or claimed by a run long dead): of two workers, each post is
   sent by one.
4. All claimed posts become one message, oldest first, joined by blank lines,
   within Telegram's 4096 characters; what does not fit waits a second for
   the next message (the per-chat limit).
5. A 429 waits Telegram's `retry_after`; the network and 5xx back off as
   webhooks do (alerts.delivery.retry_delay); a 400 or 403 fails the posts,
   and a 403 from a follower's chat (the bot was blocked) also forgets the chat.

Never call it inside a transaction: no row stays locked during the call.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from alerts.delivery import retry_delay
from alerts.telegram.botapi import BotRefused, BotRetry, bot_call
from alerts.telegram.models import ChannelPost, PostKind, PostState
from alerts.telegram.selectors import chats_due, messages_sent
from alerts.telegram.services import bot_enabled, chat_stop
from alerts.telegram.texts import MESSAGE_LIMIT, messages_from
from exitwatch.lib.jobs import job_lock_ttl

log = logging.getLogger(__name__)

PER_CHAT_PER_MINUTE = 20
PER_CHAT_GAP = timedelta(seconds=1)
GLOBAL_PER_SECOND = 30
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


def _give_up_old(chat_id: str, now: datetime) -> int:
    cutoff = now - timedelta(hours=settings.TELEGRAM_GIVE_UP_HOURS)
    return ChannelPost.objects.filter(
        chat_id=chat_id, state=PostState.PENDING, created_at__lt=cutoff
    ).update(
        state=PostState.FAILED,
        next_attempt_at=None,
        claimed_until=None,
        last_error=f"gave up: not sent in {settings.TELEGRAM_GIVE_UP_HOURS} h",
    )


def room_at(chat_id: str, now: datetime) -> datetime | None:
    """When the chat may next get a message under the limits; None for now."""
    in_minute = messages_sent(since=now - MINUTE, chat_id=chat_id)
    waits = []
    if in_minute.count >= PER_CHAT_PER_MINUTE and in_minute.oldest:
        waits.append(in_minute.oldest + MINUTE)
    if in_minute.newest and in_minute.newest > now - PER_CHAT_GAP:
        waits.append(in_minute.newest + PER_CHAT_GAP)
    if messages_sent(since=now - SECOND).count >= GLOBAL_PER_SECOND:
        waits.append(now + SECOND)
    later = [w for w in waits if w > now]
    return max(later) if later else None


def _postpone(chat_id: str, now: datetime, until: datetime) -> None:
    ChannelPost.objects.due(now).filter(chat_id=chat_id).update(next_attempt_at=until)


def _claim(chat_id: str, now: datetime) -> tuple[uuid.UUID, list[ChannelPost]]:
    token = uuid.uuid4()
    ChannelPost.objects.due(now).filter(chat_id=chat_id).update(
        claim=token,
        claimed_until=now + timedelta(seconds=job_lock_ttl()),
        attempts=F("attempts") + 1,
    )
    return token, list(ChannelPost.objects.filter(claim=token).order_by("id"))


def _release(token: uuid.UUID, ids: list[int], **values: object) -> None:
    ChannelPost.objects.filter(claim=token, pk__in=ids).update(
        claim=None, claimed_until=None, **values
    )


def chat_send(*, chat_id: str, now: datetime | None = None) -> str:
    """Send one chat's due posts as one message, if the limits allow; what
    happened: "sent", "limited", "retry", "failed", "nothing"."""
    now = now or timezone.now()
    if not bot_enabled():
        return "nothing"
    _give_up_old(chat_id, now)
    until = room_at(chat_id, now)
    if until is not None:
        _postpone(chat_id, now, until)
        return "limited"
    token, posts = _claim(chat_id, now)
    if not posts:
        return "nothing"
    groups = messages_from([p.text for p in posts])
    first = [posts[i] for i in groups[0]]
    rest = [p.pk for p in posts if p not in first]
    if rest:  # the next message waits its second (the per-chat limit)
        _release(token, rest, next_attempt_at=now + PER_CHAT_GAP)
    ids = [p.pk for p in first]
    text = "\n\n".join(p.text for p in first)[:MESSAGE_LIMIT]
    try:
        bot_call(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "link_preview_options": {"is_disabled": True},
            },
        )
    except BotRetry as exc:
        return _retry_later(token, first, exc, now)
    except BotRefused as exc:
        _release(
            token,
            ids,
            state=PostState.FAILED,
            next_attempt_at=None,
            last_error=str(exc)[:500],
        )
        log.info("telegram: %d post(s) failed: %s", len(ids), exc)
        if exc.status == 403 and any(p.kind != PostKind.CHANNEL for p in first):
            chat_stop(chat_id=chat_id)  # blocked by the person: forget them
        return "failed"
    _release(
        token,
        ids,
        state=PostState.SENT,
        sent_at=now,
        message_id=uuid.uuid4(),
        next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _retry_later(
    token: uuid.UUID, posts: list[ChannelPost], exc: BotRetry, now: datetime
) -> str:
    attempts = max(p.attempts for p in posts)
    delay = retry_delay(attempts)
    if exc.retry_after is not None:
        # Telegram says exactly when: waiting less is refused again.
        delay = timedelta(seconds=exc.retry_after)
    following = now + delay
    deadline = min(p.created_at for p in posts) + timedelta(
        hours=settings.TELEGRAM_GIVE_UP_HOURS
    )
    ids = [p.pk for p in posts]
    if following >= deadline:
        _release(
            token,
            ids,
            state=PostState.FAILED,
            next_attempt_at=None,
            last_error=f"gave up: {exc}"[:500],
        )
        return "failed"
    _release(token, ids, next_attempt_at=following, last_error=str(exc)[:500])
    log.info("telegram: %d post(s) wait until %s: %s", len(ids), following, exc)
    return "retry"


def posts_send_due(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Send every chat's due posts here, one chat after another; outcomes
    counted. Also forgets sent and failed messages to people after a day."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    for chat_id in chats_due(now=now, limit=limit):
        outcome = chat_send(chat_id=chat_id, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    posts_forget_old(now=now)
    return outcomes


def posts_forget_old(*, now: datetime) -> int:
    """Delete messages to people (not channel posts) done more than a day ago:
    the rate limits need only the last minute's."""
    old = ChannelPost.objects.filter(
        ~Q(state=PostState.PENDING),
        ~Q(kind=PostKind.CHANNEL),
        created_at__lt=now - timedelta(days=1),
    )
    deleted, _kinds = old.delete()
    return deleted
