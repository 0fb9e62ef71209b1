"""The wait-time chart on a crossing's page, as SVG geometry computed on the server.

No chart library and no script: the page draws with plain inline SVG, so it works
without JavaScript and under a strict Content-Security-Policy. Waits are drawn as
steps: a reported wait holds until the next observation, or until the crossing's
data turns stale, and no longer; a gap (a mode nobody reported) breaks the line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from exitwatch.lib.formatting import format_moment, format_wait, zone_label
from routes.models import (
    SIDES,
    WAIT_MODES,
    CrossingUpdate,
    Mode,
    Side,
    SourceKind,
    Status,
)

WIDTH = 480
HEIGHT = 236
LEFT = 58  # room for "12 h" labels
RIGHT = 12
TOP = 12
PLOT_HEIGHT = 150
BAND_GAP = 8
BAND_HEIGHT = 12
TICK_LABEL_Y = TOP + PLOT_HEIGHT + BAND_GAP + BAND_HEIGHT + 22
PLOT_WIDTH = WIDTH - LEFT - RIGHT

# The chart shows at most this much of the past: the present is what matters.
WINDOW = timedelta(days=7)
# Steps for the wait axis, in minutes: the first that needs at most four ticks.
WAIT_STEPS = (15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080)


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    status: str
    title: str


@dataclass(frozen=True)
class Series:
    mode: str
    label: str
    paths: list[str]
    dots: list[Dot]


@dataclass(frozen=True)
class WaitChart:
    clipped: bool  # older reports exist that the chart does not draw
    start: datetime
    end: datetime
    series: list[Series]
    bands: list[Band]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_width: int = PLOT_WIDTH
    plot_height: int = PLOT_HEIGHT
    plot_bottom: int = TOP + PLOT_HEIGHT
    band_y: int = TOP + PLOT_HEIGHT + BAND_GAP
    band_height: int = BAND_HEIGHT
    tick_label_y: int = TICK_LABEL_Y
    zone: str = field(default_factory=zone_label)

    @property
    def has_waits(self) -> bool:
        return any(s.dots for s in self.series)


def _wait_axis(max_wait: int) -> tuple[int, list[Tick]]:
    step = next((s for s in WAIT_STEPS if s * 4 >= max_wait), WAIT_STEPS[-1])
    top = max(step, -(-max_wait // step) * step)
    ticks = [
        Tick(pos=TOP + PLOT_HEIGHT - PLOT_HEIGHT * m / top, label=format_wait(m))
        for m in range(0, top + 1, step)
    ]
    return top, ticks


def _time_ticks(
    start: datetime, end: datetime, x: Callable[[datetime], float]
) -> list[Tick]:
    span = end - start
    if span <= timedelta(days=1):
        fmt = "H:i"
    elif span <= timedelta(days=300):
        fmt = pgettext("chart axis day", "j M")
    else:
        fmt = pgettext("chart axis month", "M Y")
    moments = [start + span * i / 3 for i in range(4)]
    return [
        Tick(pos=x(m), label=dateformat.format(timezone.localtime(m), fmt))
        for m in moments
    ]


def wait_chart(
    *,
    updates: Sequence[CrossingUpdate],
    stale_after: timedelta,
    now: datetime | None = None,
    final_status: str = "",
) -> WaitChart | None:
    """Chart geometry for applied updates, oldest first; None when there are none.

    The status band shows the crossing's status (the stricter of its two sides),
    not one side's claim: after a row about one side, that is the status the
    next row found (its previous_status), or `final_status` after the newest.
    """
    if not updates:
        return None
    now = now or timezone.now()
    last = updates[-1].observed_at
    # The last report holds until it goes stale, and not beyond the present.
    end = max(last, min(now, last + stale_after))
    opening = end - WINDOW
    inside = [u for u in updates if u.observed_at > opening]
    before = [u for u in updates if u.observed_at <= opening][-1:]
    if before and before[0].observed_at + stale_after > opening:
        # The report in force when the window opens is drawn from its start.
        start, drawn = opening, before + inside
    else:
        start, drawn = inside[0].observed_at, inside
    if end - start < timedelta(hours=1):
        # At least an hour is shown, taken from before the first report: `end`
        # is the present at most, and the chart never draws past it.
        start = end - timedelta(hours=1)
    seconds = (end - start).total_seconds()

    def x(moment: datetime) -> float:
        moment = min(max(moment, start), end)
        return round(LEFT + PLOT_WIDTH * (moment - start).total_seconds() / seconds, 1)

    # Each report holds until the next one, or until it turns stale if sooner.
    nexts = [u.observed_at for u in drawn[1:]] + [end]
    spans = [
        (u, min(following, u.observed_at + stale_after), following)
        for u, following in zip(drawn, nexts, strict=True)
    ]
    max_wait = max(
        (w for u in drawn for w in u.waits.values() if w is not None), default=0
    )
    top, y_ticks = _wait_axis(max(max_wait, 1))

    def y(minutes: int) -> float:
        return round(TOP + PLOT_HEIGHT - PLOT_HEIGHT * minutes / top, 1)

    source_labels = dict(SourceKind.choices)
    series = []
    for mode in WAIT_MODES:
        label = str(Mode(mode).label)
        paths: list[str] = []
        dots: list[Dot] = []
        run: list[str] = []
        previous: int | None = None
        for update, until, following in spans:
            minutes = update.waits[mode]
            if minutes is None:
                if run:
                    paths.append(" ".join(run))
                    run = []
                previous = None
                continue
            x0, x1, y0 = x(update.observed_at), x(until), y(minutes)
            run.append(f"{'L' if run else 'M'}{x0},{y0} H{x1}")
            if until < following:  # went stale before the next report: a gap
                paths.append(" ".join(run))
                run = []
            # History rows carry forward what was known; a dot marks a change.
            if minutes == previous:
                continue
            previous = minutes
            dots.append(
                Dot(
                    x=x0,
                    y=y0,
                    title=_("%(mode)s: %(wait)s, %(when)s (%(source)s)")
                    % {
                        "mode": label,
                        "wait": format_wait(minutes),
                        "when": format_moment(update.observed_at),
                        "source": source_labels.get(update.source_kind, ""),
                    },
                )
            )
        if run:
            paths.append(" ".join(run))
        if dots:
            series.append(Series(mode=mode, label=label, paths=paths, dots=dots))

    status_labels = dict(Status.choices)
    side_labels = {
        Side.RUSSIAN: pgettext("border side", "Russian side"),
        Side.NEIGHBOUR: pgettext("border side", "Neighbour's side"),
    }
    afters = [u.previous_status for u in drawn[1:]] + [final_status]
    bands = []
    for (update, until, following), after in zip(spans, afters, strict=True):
        status = (after or update.status) if update.side in SIDES else update.status
        title = _("%(status)s from %(when)s") % {
            "status": status_labels.get(status, status),
            "when": format_moment(update.observed_at),
        }
        if update.side in SIDES:
            title += " — " + _("%(side)s: %(claim)s") % {
                "side": side_labels[update.side],
                "claim": status_labels.get(update.status, update.status),
            }
        bands.append(
            Band(
                x=x(update.observed_at),
                width=max(round(x(until) - x(update.observed_at), 1), 1.0),
                status=status,
                title=title,
            )
        )
        if until < following and x(following) - x(until) >= 1:
            bands.append(
                Band(
                    x=x(until),
                    width=round(x(following) - x(until), 1),
                    status="stale",
                    title=_("No current report from %(when)s")
                    % {"when": format_moment(until)},
                )
            )
    return WaitChart(
        clipped=len(drawn) < len(updates),
        start=start,
        end=end,
        series=series,
        bands=bands,
        x_ticks=_time_ticks(start, end, x),
        y_ticks=y_ticks,
    )
