"""Waits and moments as the pages write them, in both languages."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.utils import translation

from exitwatch.lib.formatting import (
    format_day,
    format_moment,
    format_utc,
    format_wait,
    iso_z,
)


@pytest.mark.parametrize(
    ("minutes", "en", "ru"),
    [
        (None, "—", "—"),
        (0, "0 min", "0 мин"),
        (45, "45 min", "45 мин"),
        (60, "1 h", "1 ч"),
        (380, "6 h 20 min", "6 ч 20 мин"),
        (1440, "1 d", "1 сут."),
        (3000, "2 d 2 h", "2 сут. 2 ч"),
    ],
)
def test_waits_are_short_units_in_each_language(minutes, en, ru):
    with translation.override("en"):
        assert format_wait(minutes) == en
    with translation.override("ru"):
        assert format_wait(minutes) == ru


def test_moments_are_moscow_time_with_the_zone_named_and_utc_beside():
    moment = datetime(2022, 9, 25, 8, 0, tzinfo=UTC)
    with translation.override("en"):
        assert format_moment(moment) == "25 Sep 2022, 11:00 MSK"
    with translation.override("ru"):
        assert format_moment(moment) == "25 сентября 2022, 11:00 МСК"
    assert format_utc(moment) == "2022-09-25 08:00 UTC"


def test_days_are_written_the_language_s_way():
    with translation.override("en"):
        assert format_day(date(2026, 11, 26)) == "Thu 26 Nov"
    with translation.override("ru"):
        assert format_day(date(2026, 11, 26)) == "Чт, 26 ноября"


def test_machine_times_are_utc_with_a_z_to_the_second_and_none_stays_none():
    moscow = timezone(timedelta(hours=3))
    moment = datetime(2022, 9, 25, 11, 0, 7, 250_000, tzinfo=moscow)
    assert iso_z(moment) == "2022-09-25T08:00:07Z"
    assert iso_z(None) is None
