"""The `?at=` moment of the map on a past date: parsed one way everywhere.

The map document, the crossings list and /lite/ all take `at` (ISO 8601). It is
truncated to the minute, so the answers for one minute are one cache entry, and
a moment in the future is refused rather than guessed at.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from exitwatch.lib.observed import EARLIEST_OBSERVATION


def parse_moment(value: str, *, now: datetime | None = None) -> datetime:
    """The UTC minute that `value` (a date, or a date and time) names.

    A bare date means the end of that day in UTC (what was known by then); a time
    without a zone is UTC. Raises ValidationError with one clear message.
    """
    value = (value or "").strip()
    moment = None
    try:
        # A bare date first: parse_datetime reads one as its midnight, which
        # would show the day before it happened instead of the day itself.
        day = parse_date(value)
        if day is not None:
            moment = datetime.combine(day, time(23, 59), tzinfo=UTC)
        else:
            moment = parse_datetime(value.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            _(
                "Give the moment as an ISO 8601 date or date and time, "
                "e.g. 2022-09-25 or 2022-09-25T12:00:00Z."
            ),
            code="invalid",
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    now = now or timezone.now()
    if moment > now:
        raise ValidationError(
            _("That moment is in the future; the map can only show the past."),
            code="future",
        )
    # Nothing is recorded before it: asking for an earlier moment is a typo.
    if moment < EARLIEST_OBSERVATION:
        raise ValidationError(
            _("Nothing is recorded before %(year)d.")
            % {"year": EARLIEST_OBSERVATION.year},
            code="too_early",
        )
    return moment
