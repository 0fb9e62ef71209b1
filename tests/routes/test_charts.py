"""The wait chart's geometry: steps, gaps, the window, the status band."""

from datetime import UTC, datetime, timedelta

from routes.charts import LEFT, PLOT_WIDTH, wait_chart
from routes.models import CrossingUpdate

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def update(hours, status="open", **waits):
    fields = {f"wait_{m}": waits.get(m) for m in ("car", "bus", "truck", "pedestrian")}
    return CrossingUpdate(
        observed_at=T0 + timedelta(hours=hours),
        status=status,
        source_kind="traveller",
        **fields,
    )


def test_nothing_reported_gives_no_chart():
    assert wait_chart(updates=[], stale_after=timedelta(hours=3)) is None


def test_a_wait_holds_as_a_step_until_the_next_report():
    chart = wait_chart(
        updates=[update(0, car=60), update(2, car=120)],
        stale_after=timedelta(hours=2),
        now=T0 + timedelta(hours=10),
    )
    # Window: first report to the last one plus its stale threshold (4 h in all).
    assert chart.end - chart.start == timedelta(hours=4)
    (car,) = chart.series
    assert car.mode == "car"
    x_mid = LEFT + PLOT_WIDTH / 2
    y60, y120 = car.dots[0].y, car.dots[1].y
    assert y120 < y60  # longer waits are drawn higher
    assert car.paths == [
        f"M{LEFT}.0,{y60} H{x_mid} L{x_mid},{y120} H{float(LEFT + PLOT_WIDTH)}"
    ]


def test_a_mode_nobody_reported_breaks_the_line():
    chart = wait_chart(
        updates=[update(0, bus=30), update(1), update(2, bus=45)],
        stale_after=timedelta(hours=1),
        now=T0 + timedelta(hours=3),
    )
    (bus,) = chart.series
    assert len(bus.paths) == 2
    assert len(bus.dots) == 2


def test_the_chart_ends_now_when_the_last_report_is_still_fresh():
    now = T0 + timedelta(hours=1)
    chart = wait_chart(
        updates=[update(0, car=10)], stale_after=timedelta(hours=6), now=now
    )
    assert chart.end == now


def test_a_long_stale_report_is_left_out_and_the_chart_starts_at_fresh_data():
    old = update(-24 * 30, car=600)
    recent = update(0, car=60)
    chart = wait_chart(
        updates=[old, recent],
        stale_after=timedelta(hours=3),
        now=T0 + timedelta(hours=2),
    )
    assert chart.clipped
    assert chart.start == recent.observed_at
    (car,) = chart.series
    assert len(car.dots) == 1


def test_a_report_still_in_force_when_the_week_opens_is_drawn_from_its_edge():
    old = update(-24 * 8, car=600)
    recent = update(0, car=60)
    chart = wait_chart(updates=[old, recent], stale_after=timedelta(days=9), now=T0)
    assert chart.end - chart.start == timedelta(days=7)
    (car,) = chart.series
    assert car.dots[0].x == LEFT
    assert [b.status for b in chart.bands] == ["open", "open"]


def test_a_report_that_went_stale_before_the_next_leaves_a_gap():
    chart = wait_chart(
        updates=[update(0, car=30), update(10, car=90)],
        stale_after=timedelta(hours=2),
        now=T0 + timedelta(hours=11),
    )
    (car,) = chart.series
    assert len(car.paths) == 2
    assert [b.status for b in chart.bands] == ["open", "stale", "open"]
    assert chart.bands[1].title.startswith("No current report from")


def test_status_changes_become_band_segments_with_titles():
    chart = wait_chart(
        updates=[update(0, "open"), update(1, "closed")],
        stale_after=timedelta(hours=1),
        now=T0 + timedelta(hours=5),
    )
    assert [b.status for b in chart.bands] == ["open", "closed"]
    assert chart.bands[0].title.startswith("Open from")
    assert not chart.has_waits


def test_a_span_under_an_hour_reaches_back_rather_than_into_the_future():
    now = T0 + timedelta(minutes=20)
    chart = wait_chart(
        updates=[update(0, car=30), update(1 / 6, car=45)],
        stale_after=timedelta(hours=6),
        now=now,
    )
    # An hour is still shown, the hour before now: nothing is drawn past it.
    assert chart.end == now
    assert chart.end - chart.start == timedelta(hours=1)
    right_edge = float(LEFT + PLOT_WIDTH)
    (car,) = chart.series
    assert car.paths[-1].endswith(f"H{right_edge}")
    assert max(d.x for d in car.dots) < right_edge
    assert chart.bands[-1].x + chart.bands[-1].width <= right_edge
    # The first report sits two thirds of the way in, not at the left edge.
    assert car.dots[0].x == round(LEFT + PLOT_WIDTH * 40 / 60, 1)
