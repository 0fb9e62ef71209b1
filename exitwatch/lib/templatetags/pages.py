"""Template helpers for every public page: moments with their zone, waits, days."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.html import format_html
from django.utils.safestring import SafeString

from exitwatch.lib.formatting import (
    format_day,
    format_moment,
    format_utc,
    format_wait,
    iso_z,
)

register = template.Library()


@register.simple_tag
def moment(value: datetime | None, with_date: bool = True) -> SafeString | str:
    """<time> in Moscow time with its zone named; UTC in the hover title."""
    if value is None:
        return "—"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        iso_z(value),
        format_utc(value),
        format_moment(value, with_date=with_date),
    )


@register.simple_tag
def age(value: datetime | None) -> SafeString | str:
    """How long ago, with the exact moment (MSK, then UTC) in the hover title."""
    if value is None:
        return "—"
    return format_html(
        '<time datetime="{}" title="{} · {}">{}</time>',
        iso_z(value),
        format_moment(value),
        format_utc(value),
        naturaltime(value),
    )


@register.filter
def wait(minutes: int | None) -> str:
    return format_wait(minutes)


@register.filter
def day(value: date | None) -> str:
    return format_day(value) if value else "—"
