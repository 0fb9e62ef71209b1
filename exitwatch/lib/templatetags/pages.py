"""Template helpers for every public page: moments with their zone, waits, days,
and the addresses of pages and static files.

A page rendered for the static mirror carries `request.mirror` (set by the
exporter, an object with `link(url)` and `asset(path)`): addresses then name
the mirror's own files, relative to the page, so a copy works under any path,
from file:// and through an IPFS gateway; what the mirror lacks points at the
canonical site."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.templatetags.static import static
from django.urls import reverse
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


def _mirror(context: template.Context) -> Any:
    return getattr(context.get("request"), "mirror", None)


@register.simple_tag(takes_context=True)
def site_url(context: template.Context, name: str, *args: Any, **query: Any) -> str:
    """`{% url %}` with a query (empty values left out); in a mirror's rendering,
    the mirror's file for it when it has one, else the canonical address."""
    url = reverse(name, args=args)
    query = {key: value for key, value in query.items() if value not in ("", None)}
    if query:
        url += "?" + urlencode(query)
    mirror = _mirror(context)
    return mirror.link(url) if mirror else url


@register.simple_tag(takes_context=True)
def asset(context: template.Context, path: str) -> str:
    """`{% static %}`, or in a mirror's rendering its copy in the mirror."""
    mirror = _mirror(context)
    return mirror.asset(path) if mirror else static(path)
