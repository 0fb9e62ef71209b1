"""Telegram: the posts on their way to chats, and the bot's followers.

A ChannelPost is one text on its way to one chat: a public channel (a status change
in the channel's language), a follower's private chat (the same news) or a
reply to a bot command. The row is its own outbox and its own rate counter:
the sender (alerts.telegram.sender) claims a chat's due rows with a conditional
UPDATE, sends them as one message, and counts the messages a chat got in the
last minute from the rows' `message_id`s.

BotChat and Follow are everything the bot keeps about a person: the chat id,
the language to answer in, and what it follows. No name, user name or message
text. /stop deletes the chat, its follows and every post to it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models import Event


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")


class PostKind(models.TextChoices):
    CHANNEL = "channel", _("Channel post")
    DIRECT = "direct", _("Message to a follower")
    REPLY = "reply", _("Reply to a command")


class PostState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ChannelPostQuerySet(models.QuerySet):
    def due(self, now: datetime) -> ChannelPostQuerySet:
        """Pending, due, and claimed by nobody (or by a run long dead)."""
        return self.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            state=PostState.PENDING,
            next_attempt_at__lte=now,
        )


class ChannelPost(models.Model):
    """One text on its way to one Telegram chat, and how sending it went: a
    public channel's post, or the same machinery's message to a follower or
    reply to a command (`kind`).

    Posts to one chat that are due together go out as one message (a burst of
    changes is one message, not twenty); each sent row carries the id of the
    message it went in, so a chat's messages in the last minute are counted
    from the rows. Unique per event and chat: an event task run twice writes
    nothing twice.
    """

    chat_id = models.CharField(_("chat"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=PostKind.choices)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PostState.choices,
        default=PostState.PENDING,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A run that claimed the row owns it until then (alerts.telegram.sender).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # One id per Telegram message: rows collapsed into one message share it.
    message_id = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = ChannelPostQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("Telegram post")
        verbose_name_plural = _("Telegram posts")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "chat_id"],
                condition=Q(event__isnull=False),
                name="telegram_post_once_per_event",
            ),
            models.CheckConstraint(
                condition=Q(state__in=PostState.values),
                name="telegram_post_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PostKind.values),
                name="telegram_post_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="telegram_post_due",
            ),
            models.Index(fields=["chat_id", "sent_at"], name="telegram_post_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.chat_id} ({self.state})"


class BotChat(models.Model):
    """A private chat with the bot that follows something: its id and language,
    nothing else about the person (docs/telegram.md, the privacy page)."""

    chat_id = models.CharField(_("chat"), max_length=64, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("bot chat")
        verbose_name_plural = _("bot chats")

    def __str__(self) -> str:
        return self.chat_id


class Follow(models.Model):
    """A chat follows one crossing (by slug) or one country (by code)."""

    chat = models.ForeignKey(BotChat, on_delete=models.CASCADE, related_name="follows")
    crossing_slug = models.SlugField(_("crossing"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["chat", "crossing_slug", "country"],
                name="telegram_follow_unique",
            ),
            models.CheckConstraint(
                condition=(Q(crossing_slug="") & ~Q(country=""))
                | (~Q(crossing_slug="") & Q(country="")),
                name="telegram_follow_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.crossing_slug or self.country
