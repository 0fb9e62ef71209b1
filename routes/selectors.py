"""Reads about crossings used in more than one place."""

from __future__ import annotations

from datetime import datetime

from routes.models import BorderCrossing, CrossingUpdate


def crossing_state_at(
    *, crossing: BorderCrossing, at: datetime
) -> CrossingUpdate | None:
    """The crossing's state as known from observations made at or before `at`.

    None when nothing had been observed by then.
    """
    return (
        CrossingUpdate.objects.filter(crossing=crossing, observed_at__lte=at)
        .order_by("-observed_at", "-id")
        .first()
    )


def crossing_history(*, crossing: BorderCrossing) -> list[CrossingUpdate]:
    """Every update of a crossing, newest observation first."""
    return list(
        CrossingUpdate.objects.filter(crossing=crossing)
        .select_related("actor")
        .order_by("-observed_at", "-id")
    )
