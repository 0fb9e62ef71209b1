"""When an observation may have been made: the one check, and its messages, for
crossing updates, traveller reports and flight reports, whichever door they come
through (admin, API, form, spreadsheet, provider).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Clocks of phones and partners drift; an observation a little in the future is
# accepted as "now", further than this it is refused.
CLOCK_SKEW = timedelta(minutes=5)
# Nothing this project records happened before this: an earlier time is a typo or
# a probe (year 1), never an observation.
EARLIEST_OBSERVATION = datetime(2000, 1, 1, tzinfo=UTC)
# The widest UTC offset PostgreSQL stores; real zones stay within -12:00..+14:00.
# A time with a wider one names no place, and the database refuses it.
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)

# A time that cannot be read, or has no zone: parsers (API fields, filters,
# spreadsheet rows) answer with these, so a client reads one wording everywhere.
UNREADABLE_TIME_MESSAGE = gettext_lazy(
    "Give a date and time in ISO 8601 with a time zone, e.g. 2022-09-25T08:00:00Z."
)
NAIVE_TIME_MESSAGE = gettext_lazy(
    "Add a time zone to the time (Z for UTC, or e.g. +03:00)."
)
OFFSET_MESSAGE = gettext_lazy(
    "The time zone offset must be between -15:59 and +15:59 (e.g. +03:00)."
)


def offset_in_range(moment: datetime) -> bool:
    """Whether an aware time's UTC offset is one a real zone (and PostgreSQL)
    can have; a naive time has none to check."""
    offset = moment.utcoffset()
    return offset is None or abs(offset) <= MAX_UTC_OFFSET


# How long after it happened a change is still news to announce (webhooks,
# Telegram): one recorded later is history being filled in (a seed, an
# archive), which nobody is told of.
NEWS_WINDOW = timedelta(hours=48)


def observed_at_problem(
    observed_at: datetime, *, now: datetime, max_age: timedelta | None = None
) -> str | None:
    """Why an observation time is refused, or None.

    Refused: a time without a zone (the same "14:30" is different moments at
    Kaliningrad and Vladivostok) or with an offset no zone has, one further in
    the future than clocks drift, one before EARLIEST_OBSERVATION, and, when
    `max_age` (whole hours) is given, one older than that.
    """
    if timezone.is_naive(observed_at):
        return str(NAIVE_TIME_MESSAGE)
    if not offset_in_range(observed_at):
        return str(OFFSET_MESSAGE)
    if observed_at > now + CLOCK_SKEW:
        return _("Observation time is in the future.")
    if observed_at < EARLIEST_OBSERVATION:
        return _("Observation time is before %(year)d; check the year.") % {
            "year": EARLIEST_OBSERVATION.year
        }
    if max_age is not None and observed_at < now - max_age:
        hours = int(max_age.total_seconds() // 3600)
        return ngettext(
            "Observations older than %(hours)d hour are not accepted.",
            "Observations older than %(hours)d hours are not accepted.",
            hours,
        ) % {"hours": hours}
    return None
