"""The bot's commands: what one Telegram update asks, and the answer.

Only a message's chat id, its language code and its command are read; nothing
of the person (name, user name) and no text is stored or logged. Answers are
posts (alerts.telegram.services.reply_write) sent by the sender, except the
answer to /stop: it leaves no row for the chat, so it goes back in the
webhook's own HTTP answer, as the Bot API allows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone, translation

from alerts.telegram.models import Language
from alerts.telegram.selectors import Found, place_find
from alerts.telegram.services import (
    MAX_FOLLOWS,
    chat_follow,
    chat_stop,
    chat_unfollow,
    reply_write,
)
from alerts.telegram.texts import (
    country_name,
    country_status_text,
    crossing_status_text,
    privacy_url,
    say,
)

# A command argument longer than this names nothing we have.
MAX_ARGUMENT = 100
EVERYTHING = {"all", "все", "всё"}


def language_of(message: dict[str, Any]) -> str:
    """Russian for a Telegram set to Russian, English otherwise."""
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    code = str(sender.get("language_code") or "")
    return Language.RU if code.lower().startswith("ru") else Language.EN


def _command(text: str) -> tuple[str, str]:
    head, _space, argument = text.strip().partition(" ")
    # "/status@ExitWatchBot" in groups names the bot.
    command = head.split("@", 1)[0].lower()
    return command, " ".join(argument.split())[:MAX_ARGUMENT]


def _not_found(query: str, found: Found, language: str) -> str:
    text = say(language, "not_found", query=query)
    if found.suggestions:
        text += "\n" + say(
            language, "suggest", suggestions=", ".join(found.suggestions)
        )
    return text


def _what(found: Found, language: str) -> str:
    if found.crossing is not None:
        crossing = found.crossing
        return (crossing.name_ru if language == Language.RU else "") or crossing.name_en
    with translation.override(language):
        return country_name(found.country)


def update_handle(
    update: dict[str, Any], *, now: datetime | None = None
) -> dict | None:
    """Act on one update; a Bot API call to answer with in the HTTP response, or
    None (answers go out as posts)."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None  # edits, channel posts, callbacks: nothing to do
    chat = message.get("chat")
    text = message.get("text")
    if not isinstance(chat, dict) or not isinstance(text, str) or "id" not in chat:
        return None
    if not text.startswith("/"):
        return None
    chat_id = str(chat["id"])
    language = language_of(message)
    command, argument = _command(text)
    now = now or timezone.now()
    if command == "/stop":
        chat_stop(chat_id=chat_id)
        return {
            "method": "sendMessage",
            "chat_id": chat_id,
            "text": say(language, "stopped"),
        }
    reply = _answer(command, argument, chat_id, language, now)
    reply_write(chat_id=chat_id, text=reply, now=now)
    return None


def _answer(
    command: str, argument: str, chat_id: str, language: str, now: datetime
) -> str:
    if command in ("/start", "/help"):
        return say(language, "help", privacy=privacy_url())
    if command == "/unfollow" and (not argument or argument.lower() in EVERYTHING):
        chat_unfollow(chat_id=chat_id, everything=True)
        return say(language, "unfollowed_all")
    if command not in ("/status", "/follow", "/unfollow"):
        return say(language, "unknown_command")
    if not argument:
        return say(language, "ask", example="upper-lars")
    found = place_find(argument)
    if found.crossing is None and not found.country:
        return _not_found(argument, found, language)
    key = {
        "crossing_slug": found.crossing.slug if found.crossing else "",
        "country": found.country,
    }
    if command == "/status":
        if found.crossing is not None:
            return crossing_status_text(found.crossing, language, now)
        return country_status_text(found.country, found.crossings, language, now)
    what = _what(found, language)
    if command == "/follow":
        if not chat_follow(chat_id=chat_id, language=language, **key):
            return say(language, "follows_full", max=MAX_FOLLOWS)
        return say(language, "followed", what=what)
    if chat_unfollow(chat_id=chat_id, **key):
        return say(language, "unfollowed", what=what)
    return say(language, "not_following", what=what)
