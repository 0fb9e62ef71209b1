"""Drive estimates: the great circle, the labelled estimate, and a sourced
route's distance winning over it."""

from types import SimpleNamespace

import pytest

from routes.places.drive import (
    ASSUMED_SPEED_KMH,
    DETOUR_FACTOR,
    DETOUR_SOURCE_URL,
    drive_estimate,
    great_circle_km,
    share_to_point,
)

MURMANSK = SimpleNamespace(latitude=69.0077, longitude=33.0686)
# Borisoglebsk, the Russian post facing Storskog (routes/seed/crossings.json).
BORISOGLEBSK = {"latitude": 69.6557, "longitude": 30.2032}
ROUTE_SOURCE = "https://en.wikipedia.org/wiki/European_route_E105"


def test_the_great_circle_matches_known_distances():
    # Moscow to Saint Petersburg, centre to centre: about 634 km.
    assert 630 < great_circle_km(55.7540, 37.6204, 59.9391, 30.3159) < 640
    assert great_circle_km(10.0, 20.0, 10.0, 20.0) == 0
    # Symmetric, and a quarter of the globe from the pole to the equator.
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(10007.5, abs=1)
    assert great_circle_km(1, 2, 3, 4) == great_circle_km(3, 4, 1, 2)


def test_murmansk_to_storskog_is_a_labelled_estimate_of_a_few_hours():
    estimate = drive_estimate(MURMANSK, **BORISOGLEBSK)
    straight = great_circle_km(69.0077, 33.0686, 69.6557, 30.2032)
    assert 125 < straight < 145
    assert estimate.basis == "estimate"
    assert estimate.km == round(straight * DETOUR_FACTOR)
    # The E105 is about 225 km: the estimate is short of it, not wildly off.
    assert 160 < estimate.km < 240
    assert estimate.hours == round(estimate.km / ASSUMED_SPEED_KMH, 1)
    assert 2 < estimate.hours < 3.5
    assert estimate.detour_factor == DETOUR_FACTOR
    assert estimate.speed_kmh == ASSUMED_SPEED_KMH
    assert estimate.source_url == DETOUR_SOURCE_URL


def test_a_sourced_route_distance_wins_over_the_estimate():
    estimate = drive_estimate(
        MURMANSK, **BORISOGLEBSK, route_km=226.0, route_source=ROUTE_SOURCE
    )
    assert estimate.basis == "route"
    assert estimate.km == 226.0
    assert estimate.hours == 3.2
    assert estimate.detour_factor is None
    assert estimate.source_url == ROUTE_SOURCE


@pytest.mark.parametrize(
    "arguments",
    [
        {"latitude": 91, "longitude": 30},
        {"latitude": 69, "longitude": -181},
        {"latitude": float("nan"), "longitude": 30},
        {**BORISOGLEBSK, "route_km": 0, "route_source": ROUTE_SOURCE},
        {**BORISOGLEBSK, "route_km": -5, "route_source": ROUTE_SOURCE},
        {**BORISOGLEBSK, "route_km": 226},  # a figure with no source
    ],
)
def test_it_refuses_points_off_the_globe_and_unsourced_or_empty_routes(arguments):
    with pytest.raises(ValueError):
        drive_estimate(MURMANSK, **arguments)


def test_the_share_of_a_route_before_its_crossing_is_measured_along_its_line():
    # Three points on the equator, 0° → 1° → 3° east: the crossing at 1°.
    path = [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]]
    assert share_to_point(path, latitude=0.0, longitude=1.0) == pytest.approx(1 / 3)
    assert share_to_point(path, latitude=0.0, longitude=3.0) == pytest.approx(1.0)
    # No vertex near the point, or no line: no share to give.
    assert share_to_point(path, latitude=0.0, longitude=2.0) is None
    assert share_to_point([[0.0, 0.0]], latitude=0.0, longitude=0.0) is None
