"""A crossing open on both sides to cars and buses, with its destination's
entry rule: the world the ways-out and open-to-me tests start from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from routes.access.services import access_rule_record
from routes.entry.services import RuleTerms, entry_rule_record
from routes.models import BorderCrossing
from routes.services import crossing_update_record
from tests.factories import CrossingFactory

SINCE = datetime(2024, 1, 1, tzinfo=UTC)


def open_border(
    *, terms: RuleTerms, observed_at: datetime = SINCE, **crossing: Any
) -> BorderCrossing:
    """A crossing (CrossingFactory fields) open on both sides to cars and buses
    for anyone, and its country's rule `terms`, all since SINCE; the status is
    claimed as observed at `observed_at` (a recent one reads as fresh on a map)."""
    made = CrossingFactory(**crossing)
    for side in ("ru", "neighbour"):
        crossing_update_record(
            crossing=made,
            side=side,
            status="open",
            source_kind="staff",
            source_url="https://example.org/open",
            observed_at=observed_at,
        )
        access_rule_record(
            crossing=made,
            side=side,
            valid_from=SINCE,
            modes=["bus", "car"],
            who="anyone",
            source_kind="staff",
            source_url="https://example.org/access",
        )
    entry_rule_record(
        destination=made.country.code,
        valid_from=SINCE,
        terms=terms,
        source_kind="staff",
        source_url=f"https://example.org/{made.country.code}",
    )
    made.refresh_from_db()
    return made
