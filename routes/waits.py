"""How a crossing's waits are labelled: the figure and what it rests on, e.g.
"6 h 10 min (median of 4 traveller reports, last 40 min ago)"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exitwatch.lib.formatting import format_wait
from routes.models import WAIT_MODES, BorderCrossing, Mode, SourceKind


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
    """E.g. "6 h 10 min (median of 4 traveller reports, last 40 min ago)".

    The figure is written as everywhere else (the map, the history table): the
    basis, not a rounding, tells the reader it is a median.
    """
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
