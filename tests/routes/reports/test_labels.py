"""Every wait is labelled with what it rests on."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from exitwatch.lib.coarse_time import floor_time
from exitwatch.lib.formatting import format_utc, format_wait, iso_z
from routes.waits import crossing_wait_figures, wait_label
from tests.routes.reports.reporting import (  # noqa: F401  (no_static_manifest: fixture)
    ReportFactory,
    no_static_manifest,
)

NOW = timezone.now()


def basis(count, minutes_ago):
    return {
        "source_kind": "traveller",
        "count": count,
        "last_observed_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
    }


def test_a_traveller_median_says_how_many_reports_and_how_fresh():
    assert (
        wait_label(minutes=360, basis=basis(4, 40), now=NOW)
        == "6 h (median of 4 traveller reports, last 40 min ago)"
    )
    assert (
        wait_label(minutes=50, basis=basis(1, 130), now=NOW)
        == "50 min (1 traveller report, 2 h ago)"
    )


@pytest.mark.parametrize("minutes", [0, 7, 44, 75, 100, 380, 1500])
def test_a_median_is_written_like_every_other_wait(minutes):
    # The map, the history table and the chart write waits with format_wait;
    # a label rests its figure on the same function, never a rounding of its own.
    label = wait_label(minutes=minutes, basis=basis(4, 40), now=NOW)
    assert label.startswith(format_wait(minutes) + " (median of 4")
    assert wait_label(minutes=minutes, basis=None) == format_wait(minutes)


def test_other_sources_say_their_kind_and_no_basis_says_nothing():
    assert (
        wait_label(minutes=90, basis={"source_kind": "staff"}) == "1 h 30 min (staff)"
    )
    assert wait_label(minutes=90, basis=None) == "1 h 30 min"


def test_labels_are_translated():
    with translation.override("ru"):
        label = wait_label(minutes=380, basis=basis(4, 40), now=NOW)
    assert label.startswith("6 ч 20 мин (")


@pytest.mark.django_db
def test_the_crossing_figures_cover_each_mode_with_a_wait(crossing):
    crossing.wait_car, crossing.wait_bus = 360, 30
    crossing.wait_basis = {"car": basis(3, 10)}
    figures = {f.mode: f for f in crossing_wait_figures(crossing=crossing, now=NOW)}
    assert set(figures) == {"car", "bus"}
    assert figures["car"].count == 3
    assert (
        figures["car"].label == "6 h (median of 3 traveller reports, last 10 min ago)"
    )
    assert (figures["bus"].source_kind, figures["bus"].label) == (None, "30 min")


def published(crossing, **fields):
    return ReportFactory(
        crossing=crossing, state="approved", moderated_at=timezone.now(), **fields
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("no_static_manifest")
def test_the_report_page_writes_a_report_s_wait_and_time_as_every_page_does(
    crossing, client
):
    moment = floor_time(timezone.now() - timedelta(minutes=30))
    published(crossing, wait_minutes=150)
    published(crossing, wait_minutes=0)
    published(crossing, wait_minutes=None, queue_position=12, observed_at=moment)
    html = client.get(f"/report/{crossing.slug}/").content.decode()
    assert "waited 2 h 30 min" in html
    assert "waited 0 min" in html
    assert html.count("· waited ") == 2  # nothing for the report without a wait
    # The moment as the {% moment %} tag writes it on every page: zone named,
    # UTC in the hover, RFC 3339 for machines.
    assert f'<time datetime="{iso_z(moment)}" title="{format_utc(moment)}">' in html
    assert "MSK</time>" in html
