"""The moment a `?at=` names: a bare date is the end of that day in UTC."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from exitwatch.lib.moments import parse_moment

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-09-25", datetime(2022, 9, 25, 23, 59, tzinfo=UTC)),
        ("2022-09-25T12:00:00Z", datetime(2022, 9, 25, 12, 0, tzinfo=UTC)),
        ("2022-09-25T12:00", datetime(2022, 9, 25, 12, 0, tzinfo=UTC)),
        ("2022-09-25T15:00:30 03:00", datetime(2022, 9, 25, 12, 0, tzinfo=UTC)),
    ],
)
def test_a_moment_is_read_to_its_utc_minute(value, expected):
    assert parse_moment(value, now=NOW) == expected


@pytest.mark.parametrize("value", ["", "25.09.2022", "2022-13-01", "yesterday"])
def test_anything_else_is_one_clear_error(value):
    with pytest.raises(ValidationError, match="ISO 8601"):
        parse_moment(value, now=NOW)


def test_the_future_is_refused():
    with pytest.raises(ValidationError, match="future"):
        parse_moment("2026-12-07", now=NOW)
