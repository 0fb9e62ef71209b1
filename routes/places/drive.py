"""How far, and how long, a drive from a place to a point is: pure functions.

A sourced exit route's distance wins when there is one; otherwise the figure is
an estimate from the great circle, and says so (`basis`), with the two
assumptions it rests on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exitwatch.lib.geo import great_circle_km

if TYPE_CHECKING:
    from routes.places.models import Place

# Road distance over straight-line distance ("circuity", "detour index"): about
# 1.2 in urban networks (Newell 1980; 1.21-1.23, O'Sullivan 1996, both in
# DETOUR_SOURCE_URL); 1.26 for South Korea's national network, "higher than the
# USA, lower than Japan or the EU" (Kim et al. 2015,
# http://grec.snu.ac.kr/publications/ "Calculation of Regional Circuity Factors
# using Road Network Distance in South Korea"); 1.343 on average from homes to
# the centre in 300 European cities (https://doi.org/10.1177/23998083231168870).
# The sourced exit routes in routes/seed/exit_routes.json give 1.07-1.65 (whole
# route over the great circle, origin to destination), median near 1.2. No
# study of Russia's roads was found: 1.3 is a stated assumption from this range.
DETOUR_FACTOR = 1.3
DETOUR_SOURCE_URL = (
    "https://en.wikibooks.org/wiki/Transportation_Geography_and_Network_Science/"
    "Circuity"
)
# A stated assumption, not a measured average: below the 90 km/h limit for cars
# outside towns (traffic rules 10.3; 110 on motorways) to allow for towns at
# 60 km/h (10.2), roadworks and stops for fuel. No rest stops or queues.
ASSUMED_SPEED_KMH = 70.0
SPEED_SOURCE_URL = "https://pdd-check.ru/punkt-10-3/"

BASIS_ROUTE = "route"
BASIS_ESTIMATE = "estimate"

# A route's drawn line passes through its crossing (the seed checks it); a
# vertex farther than this from the crossing's point is another place.
ROUTE_VERTEX_TOLERANCE_KM = 5.0


@dataclass(frozen=True)
class DriveEstimate:
    """A drive's length and time, and what they rest on.

    `basis` is "route" (a sourced exit route's distance, `source_url` its
    source, no detour factor) or "estimate" (great circle × `detour_factor`,
    `source_url` where the factor comes from). Hours are at `speed_kmh`
    either way, without rests or queues.
    """

    km: float
    hours: float
    basis: str
    source_url: str
    detour_factor: float | None
    speed_kmh: float


def _check_point(latitude: float, longitude: float) -> None:
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise ValueError(f"latitude {latitude!r} is not between -90 and 90")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise ValueError(f"longitude {longitude!r} is not between -180 and 180")


def drive_estimate(
    place: Place,
    *,
    latitude: float,
    longitude: float,
    route_km: float | None = None,
    route_source: str = "",
) -> DriveEstimate:
    """The drive from `place` to the point: `route_km` (a sourced route's
    distance, with its `route_source`) when given, else the great circle ×
    DETOUR_FACTOR. Raises ValueError on a point off the globe, a route
    distance that is not positive, or one without its source."""
    _check_point(latitude, longitude)
    hours_at = ASSUMED_SPEED_KMH
    if route_km is not None:
        if not (math.isfinite(route_km) and route_km > 0):
            raise ValueError(f"route distance {route_km!r} must be positive")
        if not route_source:
            raise ValueError("a route distance needs its source")
        return DriveEstimate(
            km=float(route_km),
            hours=round(route_km / hours_at, 1),
            basis=BASIS_ROUTE,
            source_url=route_source,
            detour_factor=None,
            speed_kmh=hours_at,
        )
    straight = great_circle_km(place.latitude, place.longitude, latitude, longitude)
    # Whole kilometres: the factor is good to a tenth at best.
    km = float(round(straight * DETOUR_FACTOR))
    return DriveEstimate(
        km=km,
        hours=round(km / hours_at, 1),
        basis=BASIS_ESTIMATE,
        source_url=DETOUR_SOURCE_URL,
        detour_factor=DETOUR_FACTOR,
        speed_kmh=hours_at,
    )


def share_to_point(
    path: Sequence[Sequence[float]], *, latitude: float, longitude: float
) -> float | None:
    """How much of a drawn route ([[lon, lat], ...], GeoJSON order) lies before
    the point, as a share of its length measured along the line: the share of
    a route's distance that is the drive to its crossing. None when no vertex
    is within ROUTE_VERTEX_TOLERANCE_KM of the point, or the line is empty."""
    if len(path) < 2:
        return None
    legs = [
        great_circle_km(a[1], a[0], b[1], b[0])
        for a, b in zip(path, path[1:], strict=False)
    ]
    total = sum(legs)
    near = [great_circle_km(v[1], v[0], latitude, longitude) for v in path]
    at = min(range(len(path)), key=near.__getitem__)
    if total <= 0 or near[at] > ROUTE_VERTEX_TOLERANCE_KM:
        return None
    return sum(legs[:at]) / total
