"""Times kept no finer than 5 minutes, wherever they could time a traveller.

Traveller reports keep their times only to 5 minutes (the privacy page says so).
Anything kept because of a report (the moderators' notice mark) keeps its time to
the same step, or it would give the exact moment back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

PUBLIC_TIME_STEP = timedelta(minutes=5)


def floor_time(moment: datetime) -> datetime:
    """`moment` floored to 5 minutes: the only precision reports keep or show."""
    step = int(PUBLIC_TIME_STEP.total_seconds())
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % step, tz=UTC)
