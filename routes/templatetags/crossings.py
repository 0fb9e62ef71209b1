"""Template helpers for crossing statuses: a word, or a symbol and a word."""

from __future__ import annotations

from django import template

from routes.models import Status

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
