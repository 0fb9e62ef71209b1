"""How a crossing's waits are labelled: the figure and what it rests on, e.g.
"~6 h (median of 4 traveller reports, last 40 min ago)"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from routes.models import WAIT_MODES, BorderCrossing, Mode, SourceKind


def round_half_up(value: float) -> int:
    """Half up, as people round (Python's round() goes to even: 2.5 → 2)."""
    return math.floor(value + 0.5)


def format_wait(minutes: int) -> str:
    """A wait as people say it: "~45 min", "~2 h 30 min", "~14 h"."""
    if minutes <= 0:
        return _("no wait")
    if (rounded := max(5, 5 * round_half_up(minutes / 5))) < 60:
        return _("~%(minutes)d min") % {"minutes": rounded}
    if minutes < 600:
        hours, half = divmod(round_half_up(minutes / 30), 2)
        if half:
            return _("~%(hours)d h 30 min") % {"hours": hours}
        return _("~%(hours)d h") % {"hours": hours}
    return _("~%(hours)d h") % {"hours": round_half_up(minutes / 60)}


def format_age(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    if minutes < 48 * 60:
        return _("%(hours)d h") % {"hours": minutes // 60}
    return _("%(days)d days") % {"days": minutes // (24 * 60)}


def wait_label(
    *, minutes: int, basis: dict[str, Any] | None, now: datetime | None = None
) -> str:
    """E.g. "~6 h (median of 4 traveller reports, last 40 min ago)"."""
    figure = format_wait(minutes)
    basis = basis or {}
    kind = basis.get("source_kind")
    count = basis.get("count")
    last = parse_datetime(basis.get("last_observed_at") or "")
    if kind == SourceKind.TRAVELLER and count and last:
        ago = format_age((now or timezone.now()) - last)
        if count == 1:
            detail = _("1 traveller report, %(ago)s ago") % {"ago": ago}
        else:
            detail = ngettext(
                "median of %(count)d traveller report, last %(ago)s ago",
                "median of %(count)d traveller reports, last %(ago)s ago",
                count,
            ) % {"count": count, "ago": ago}
        return f"{figure} ({detail})"
    if kind in SourceKind.values:
        return f"{figure} ({SourceKind(kind).label.lower()})"
    return figure


@dataclass(frozen=True)
class WaitFigure:
    mode: str
    mode_label: str
    minutes: int
    source_kind: str | None
    count: int | None
    last_observed_at: str | None
    label: str


def crossing_wait_figures(
    *, crossing: BorderCrossing, now: datetime | None = None
) -> list[WaitFigure]:
    """The crossing's current waits, each with what it rests on and its label."""
    now = now or timezone.now()
    bases = crossing.wait_basis or {}
    figures = []
    for mode in WAIT_MODES:
        minutes = getattr(crossing, f"wait_{mode}")
        if minutes is None:
            continue
        basis = bases.get(mode) or {}
        figures.append(
            WaitFigure(
                mode=mode,
                mode_label=str(Mode(mode).label),
                minutes=minutes,
                source_kind=basis.get("source_kind"),
                count=basis.get("count"),
                last_observed_at=basis.get("last_observed_at"),
                label=wait_label(minutes=minutes, basis=basis, now=now),
            )
        )
    return figures
