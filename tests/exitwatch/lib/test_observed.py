"""When an observation may have been made: one check, one set of messages."""

from datetime import UTC, datetime, timedelta

from django.utils import translation

from exitwatch.lib.observed import CLOCK_SKEW, observed_at_problem

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_time_without_a_zone_is_refused_with_how_to_give_one():
    assert observed_at_problem(datetime(2026, 3, 1, 11, 0), now=NOW) == (
        "Add a time zone to the time (Z for UTC, or e.g. +03:00)."
    )


def test_a_clock_a_little_ahead_is_accepted_further_is_the_future():
    assert observed_at_problem(NOW + CLOCK_SKEW, now=NOW) is None
    assert observed_at_problem(NOW + CLOCK_SKEW + timedelta(seconds=1), now=NOW) == (
        "Observation time is in the future."
    )


def test_an_old_time_is_refused_only_where_a_maximum_age_is_given():
    old = NOW - timedelta(hours=49)
    assert observed_at_problem(old, now=NOW) is None
    assert observed_at_problem(old, now=NOW, max_age=timedelta(hours=48)) == (
        "Observations older than 48 hours are not accepted."
    )
    assert (
        observed_at_problem(
            NOW - timedelta(hours=48), now=NOW, max_age=timedelta(hours=48)
        )
        is None
    )


def test_the_messages_are_russian_for_russian_readers():
    with translation.override("ru"):
        too_old = observed_at_problem(
            NOW - timedelta(hours=49), now=NOW, max_age=timedelta(hours=48)
        )
        future = observed_at_problem(NOW + timedelta(hours=1), now=NOW)
    assert too_old == "Наблюдения старше 48 часов не принимаются."
    assert future == "Время наблюдения — в будущем."
