"""The crossing page: its state, each side's claim, the official facts, waits
with what they rest on, history and chart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from routes.charts import wait_chart
from routes.models import SIDES, BorderCrossing, Mode, Side, SourceKind, localized
from routes.selectors import crossing_page_routes, crossing_page_updates
from routes.waits import crossing_wait_figures

CROSSING_TABLE_ROWS = 50


def side_labels() -> dict[str, str]:
    """What a history row's status is about, in the page's words."""
    return {
        Side.NONE: pgettext("border side", "no status claim"),
        Side.RUSSIAN: pgettext("border side", "Russian side"),
        Side.NEIGHBOUR: pgettext("border side", "Neighbour's side"),
        Side.BOTH: pgettext("border side", "Both sides"),
    }


def crossing_sides(crossing: BorderCrossing, now: datetime) -> list[dict[str, Any]]:
    """Each side's own last claim, with whether it is older than the window."""
    window = timedelta(minutes=crossing.stale_after_minutes)
    labels = {
        Side.RUSSIAN: pgettext("border side", "Russian side"),
        Side.NEIGHBOUR: _("Neighbour's side (%(country)s)")
        % {"country": crossing.country.name},
    }
    sides = []
    for side in SIDES:
        state = crossing.side_state(side)
        observed = state["observed_at"]
        sides.append(
            {
                **state,
                "key": side.value,
                "label": labels[side],
                "stale": observed is None or now - observed > window,
                "source_label": SourceKind(state["source_kind"]).label
                if state["source_kind"]
                else "",
            }
        )
    return sides


@require_safe
def crossing_detail(request: HttpRequest, slug: str) -> HttpResponse:
    crossing = get_object_or_404(BorderCrossing, slug=slug)
    updates = crossing_page_updates(crossing=crossing)
    applied = [u for u in reversed(updates) if u.applied]
    now = timezone.now()
    labels = side_labels()
    for update in updates:
        update.side_label = labels.get(update.side, update.side)
    sources = list(
        dict.fromkeys(
            [u.source_url for u in updates if u.source_url] + [crossing.source]
        )
    )
    context = {
        "crossing": crossing,
        "region": localized(crossing, "region"),
        "stale": crossing.is_stale(now),
        "sides": crossing_sides(crossing, now),
        # Each wait labelled with what it rests on: "6 h 10 min (median of 4
        # traveller reports, last 40 min ago)".
        "waits": crossing_wait_figures(crossing=crossing, now=now),
        "modes": [Mode(mode).label for mode in crossing.modes],
        "updates": updates[:CROSSING_TABLE_ROWS],
        "more_updates": len(updates) > CROSSING_TABLE_ROWS,
        "chart": wait_chart(
            updates=applied,
            stale_after=timedelta(minutes=crossing.stale_after_minutes),
            now=now,
            final_status=crossing.status,
        ),
        "routes": crossing_page_routes(crossing=crossing),
        "sources": sources,
    }
    return render(request, "routes/crossing_detail.html", context)
