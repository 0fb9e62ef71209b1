"""Every wait is labelled with what it rests on."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from routes.waits import crossing_wait_figures, format_wait, wait_label

NOW = timezone.now()


def basis(count, minutes_ago):
    return {
        "source_kind": "traveller",
        "count": count,
        "last_observed_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
    }


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "no wait"),
        (7, "~5 min"),
        (44, "~45 min"),
        (58, "~1 h"),
        (75, "~1 h 30 min"),
        (100, "~1 h 30 min"),
        (360, "~6 h"),
        (1500, "~25 h"),
    ],
)
def test_waits_read_as_people_say_them(minutes, text):
    assert format_wait(minutes) == text


def test_a_traveller_median_says_how_many_reports_and_how_fresh():
    assert (
        wait_label(minutes=360, basis=basis(4, 40), now=NOW)
        == "~6 h (median of 4 traveller reports, last 40 min ago)"
    )
    assert (
        wait_label(minutes=50, basis=basis(1, 130), now=NOW)
        == "~50 min (1 traveller report, 2 h ago)"
    )


def test_other_sources_say_their_kind_and_no_basis_says_nothing():
    assert (
        wait_label(minutes=90, basis={"source_kind": "staff"}) == "~1 h 30 min (staff)"
    )
    assert wait_label(minutes=90, basis=None) == "~1 h 30 min"


def test_labels_are_translated():
    with translation.override("ru"):
        label = wait_label(minutes=360, basis=basis(4, 40), now=NOW)
    assert label  # Russian once the lead merges the catalogue; never empty


@pytest.mark.django_db
def test_the_crossing_figures_cover_each_mode_with_a_wait(crossing):
    crossing.wait_car, crossing.wait_bus = 360, 30
    crossing.wait_basis = {"car": basis(3, 10)}
    figures = {f.mode: f for f in crossing_wait_figures(crossing=crossing, now=NOW)}
    assert set(figures) == {"car", "bus"}
    assert figures["car"].count == 3
    assert (
        figures["car"].label == "~6 h (median of 3 traveller reports, last 10 min ago)"
    )
    assert (figures["bus"].source_kind, figures["bus"].label) == (None, "~30 min")
