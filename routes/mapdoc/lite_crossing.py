"""What /lite/crossings/<slug>/ shows: one crossing as a few kilobytes of text.

The crossing page (routes.views) draws a chart and a long table; this page keeps
what a traveller on a filtered link needs: each side's claim with its date and
source, the waits with what they rest on, who may cross each side, and the last
few history rows. It reads the same rows the crossing page reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from routes.access.models import AccessMode, VehicleRule, Who
from routes.access.selectors import SideAccess, access_at
from routes.mapdoc.words import choice_label
from routes.models import (
    BorderCrossing,
    CrossingUpdate,
    Mode,
    SourceKind,
    localized,
)
from routes.selectors import crossing_page_updates
from routes.views import crossing_sides, side_labels
from routes.waits import WaitFigure, crossing_wait_figures

LITE_HISTORY_ROWS = 8


@dataclass(frozen=True)
class LiteAccess:
    """One side's rule in force, in the page's words."""

    side_label: str
    modes: list[str] | None  # None: the rule does not say
    who: str
    vehicles_refused: str
    hours: str
    valid_from: datetime
    source_label: str
    source_url: str
    note: str


def _access(rule: SideAccess, side_label: str) -> LiteAccess:
    return LiteAccess(
        side_label=side_label,
        modes=None
        if rule.modes is None
        else [choice_label(AccessMode, mode) for mode in sorted(rule.modes)],
        who=choice_label(Who, rule.who) if rule.who else "",
        vehicles_refused=choice_label(VehicleRule, rule.vehicles_refused)
        if rule.vehicles_refused
        else "",
        hours=rule.hours,
        valid_from=rule.valid_from,
        source_label=choice_label(SourceKind, rule.source_kind),
        source_url=rule.source_url,
        note=localized(rule, "note"),
    )


def _wait_observed(figure: WaitFigure) -> datetime | None:
    return parse_datetime(figure.last_observed_at or "")


def lite_crossing_context(*, crossing: BorderCrossing) -> dict[str, Any]:
    """The page's facts about `crossing` now, in the active language."""
    now = timezone.now()
    sides = crossing_sides(crossing, now)
    labels = {side["key"]: side["label"] for side in sides}
    rules = access_at(now, crossings=[crossing.id]).get(crossing.id, {})
    updates: list[CrossingUpdate] = crossing_page_updates(
        crossing=crossing, limit=LITE_HISTORY_ROWS
    )
    row_labels = side_labels()
    for update in updates:
        update.side_label = row_labels.get(update.side, update.side)
        update.wait_rows = [
            (Mode(mode).label, minutes)
            for mode, minutes in update.waits.items()
            if minutes is not None
        ]
    return {
        "crossing": crossing,
        "stale": crossing.is_stale(now),
        "sides": sides,
        "waits": [
            (figure, _wait_observed(figure))
            for figure in crossing_wait_figures(crossing=crossing, now=now)
        ],
        "access": [_access(rules[key], labels[key]) for key in labels if key in rules],
        "updates": updates,
    }
