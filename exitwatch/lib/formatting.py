"""How pages write waits and moments, in the active language.

Times are shown in Moscow time, named as such, with UTC one hover away: people
leaving compare them with their own clocks, journalists with UTC wire copy.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import overload

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def format_wait(minutes: int | None) -> str:
    """A wait as short units: "45 min", "6 h 20 min", "2 d 3 h"; "—" when unknown.

    The one way every page writes a wait, medians included (their label says
    what they rest on), and the way the map writes it (formatWait in
    static/js/map.js): the same figure reads the same wherever it is shown.
    """
    if minutes is None:
        return "—"
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        if rest == 0:
            return _("%(hours)d h") % {"hours": hours}
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    days, hours = divmod(hours, 24)
    if hours == 0:
        return _("%(days)d d") % {"days": days}
    return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}


def zone_label() -> str:
    """The short name of the zone pages show times in ("MSK" for Moscow)."""
    if timezone.get_current_timezone_name() == "Europe/Moscow":
        return pgettext("time zone", "MSK")
    return timezone.localtime().strftime("%Z")


def format_moment(moment: datetime, *, with_date: bool = True) -> str:
    """A moment in the pages' zone, formatted for the language, zone named.

    The formats are translatable strings (Django date-format syntax), so each
    language writes dates its own way: "25 Sep, 11:00" / "25 сентября, 11:00".
    """
    local = timezone.localtime(moment)
    if not with_date:
        fmt = "H:i"
    elif local.year == timezone.localtime().year:
        fmt = pgettext("date and time format, this year", "j M, H:i")
    else:
        fmt = pgettext("date and time format", "j M Y, H:i")
    return f"{dateformat.format(local, fmt)} {zone_label()}"


def format_day(day: date) -> str:
    """A calendar day, e.g. a departure date: "Thu 26 Nov" / "чт, 26 ноября"."""
    return dateformat.format(day, pgettext("day format", "D j M"))


def format_utc(moment: datetime) -> str:
    """The same moment in UTC, for the hover title: ISO-like, unambiguous."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@overload
def iso_z(moment: datetime) -> str: ...
@overload
def iso_z(moment: None) -> None: ...
def iso_z(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z, to the second ("2022-09-25T08:00:00Z"); None
    stays None (JSON null).

    The one way a moment is written for machines: <time datetime>, the map
    document, report times and wait bases. Every client parses this form alike;
    fractions of a second and offsets other than Z are where they differ.
    """
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso_z(value: str | None) -> datetime | None:
    """A moment iso_z wrote (a document read back); None or "" is None."""
    return datetime.fromisoformat(value) if value else None
