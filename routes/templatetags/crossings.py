"""Template helpers for crossings: a status as a word, or a symbol and a word;
notes and hours in the page's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.translation import get_language, pgettext

from routes.models import BorderCrossing, Status

register = template.Library()


@register.simple_tag
def status_label(status: str) -> str:
    known = status if status in Status.values else Status.UNKNOWN
    return str(Status(known).label)


@register.inclusion_tag("routes/_status.html")
def status_badge(status: str) -> dict[str, str]:
    """A status as symbol (shape, never colour alone) and word."""
    known = status if status in Status.values else Status.UNKNOWN
    return {"status": known, "label": Status(known).label}


def _note_of(item: Any, field: str) -> str:
    value = item.get(field) if isinstance(item, dict) else getattr(item, field, "")
    return value or ""


@register.simple_tag
def note_text(item: Any) -> str:
    """A history row's or a side's note in the page's language: the Russian
    note on a Russian page when one was given, else the note as written."""
    if (get_language() or "")[:2] == "ru":
        return _note_of(item, "note_ru") or _note_of(item, "note")
    return _note_of(item, "note")


@register.simple_tag
def latest_note(crossing: BorderCrossing, updates: Sequence[Any]) -> str:
    """The crossing's latest note in the page's language. The crossing keeps
    the note as written; its Russian version is on the history row it came
    from, the newest applied one (`updates` is newest first)."""
    newest = next((u for u in updates if u.applied), None)
    if newest is not None and newest.note == crossing.note:
        return note_text(newest)
    return crossing.note


@register.simple_tag
def hours_text(hours: str) -> str:
    """The short form of a crossing's hours: "24 h", as derived from the
    official text, is a word to translate; a span of times reads alike."""
    if hours.replace(" ", "") == "24h":
        return pgettext("opening hours", "24 h")
    return hours
