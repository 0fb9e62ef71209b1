"""Observation times a real observer could not have made: year 1, offsets no
time zone has."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from exitwatch.lib.observed import EARLIEST_OBSERVATION, observed_at_problem

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [datetime(1, 1, 1, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC)],
)
def test_times_before_the_earliest_are_refused(moment):
    assert "check the year" in observed_at_problem(moment, now=NOW)


def test_the_earliest_moment_itself_is_accepted():
    assert observed_at_problem(EARLIEST_OBSERVATION, now=NOW) is None


@pytest.mark.parametrize("minutes", [16 * 60, -(17 * 60 + 51), 23 * 60 + 59])
def test_an_offset_past_15_59_is_refused(minutes):
    zone = timezone(timedelta(minutes=minutes))
    moment = datetime(2026, 3, 1, 9, 0, tzinfo=zone)
    assert "offset" in observed_at_problem(moment, now=NOW)


@pytest.mark.parametrize("minutes", [14 * 60, -12 * 60, 15 * 60 + 59, -(15 * 60 + 59)])
def test_offsets_of_real_zones_are_accepted(minutes):
    zone = timezone(timedelta(minutes=minutes))
    moment = (NOW - timedelta(days=1)).astimezone(zone)
    assert observed_at_problem(moment, now=NOW) is None
