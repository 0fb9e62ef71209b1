"""Reads for the Telegram channels and bot used in more than one place."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import translation
from django_countries.fields import Country

from alerts.telegram.models import BotChat, ChannelPost, PostState
from routes.models import BorderCrossing


def chats_due(*, now: datetime, limit: int = 1000) -> list[str]:
    """Chats with a post due, the longest waiting first."""
    rows = (
        ChannelPost.objects.due(now)
        .values("chat_id")
        .annotate(first=Min("next_attempt_at"))
        .order_by("first")
        .values_list("chat_id", flat=True)[:limit]
    )
    return list(rows)


@dataclass(frozen=True)
class Sent:
    """How many messages went out in a window, and the oldest and newest."""

    count: int
    oldest: datetime | None
    newest: datetime | None


def messages_sent(*, since: datetime, chat_id: str | None = None) -> Sent:
    """Messages (not posts: collapsed posts share one) sent since `since`, to
    one chat or to all."""
    rows = ChannelPost.objects.filter(state=PostState.SENT, sent_at__gte=since)
    if chat_id is not None:
        rows = rows.filter(chat_id=chat_id)
    found = rows.aggregate(
        count=Count("message_id", distinct=True),
        oldest=Min("sent_at"),
        newest=Max("sent_at"),
    )
    return Sent(found["count"], found["oldest"], found["newest"])


def followers_of(*, crossing_slug: str, country: str) -> list[BotChat]:
    """Chats following a crossing or its country, each once, oldest first."""
    return list(
        BotChat.objects.filter(
            Q(follows__crossing_slug=crossing_slug) | Q(follows__country=country)
        )
        .distinct()
        .order_by("id")
    )


@dataclass
class Found:
    """What a /status or /follow argument names: a crossing, a country (with
    its crossings), or neither (with suggestions)."""

    crossing: BorderCrossing | None = None
    country: str = ""
    crossings: list[BorderCrossing] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def _country_names() -> dict[str, str]:
    """Each crossing country's name, in both languages, lower case → code."""
    names: dict[str, str] = {}
    codes = sorted(
        {str(c) for c in BorderCrossing.objects.values_list("country", flat=True)}
    )
    for language in ("en", "ru"):
        with translation.override(language):
            for code in codes:
                names[str(Country(code).name).lower()] = code
    return names


def place_find(query: str) -> Found:
    """A crossing by slug or name (either language, any case), or a country by
    code or name; otherwise up to three close matches."""
    wanted = " ".join(query.split()).lower()
    if not wanted:
        return Found()
    crossing = (
        BorderCrossing.objects.filter(
            Q(slug__iexact=wanted)
            | Q(name_en__iexact=wanted)
            | Q(name_ru__iexact=wanted)
        )
        .order_by("id")
        .first()
    )
    if crossing is not None:
        return Found(crossing=crossing)
    names = _country_names()
    code = wanted.upper() if wanted.upper() in names.values() else names.get(wanted)
    if code:
        crossings = list(
            BorderCrossing.objects.filter(country=code).order_by("name_en")
        )
        return Found(country=code, crossings=crossings)
    candidates: dict[str, str] = {}
    for slug, en, ru in BorderCrossing.objects.values_list(
        "slug", "name_en", "name_ru"
    ):
        for name in (slug, en, ru):
            candidates[name.lower()] = name
    candidates.update({name: name for name in names})
    close = difflib.get_close_matches(wanted, list(candidates), n=3, cutoff=0.6)
    if not close:
        close = [c for c in candidates if wanted in c][:3]
    return Found(suggestions=[candidates[c] for c in close])


def chat_language(chat_id: str) -> str | None:
    """The language a known chat asked to be answered in."""
    return (
        BotChat.objects.filter(chat_id=chat_id)
        .values_list("language", flat=True)
        .first()
    )
