"""How long until a traveller is across: drive plus wait, or the time to the
next flight with seats; every part with its basis, and how far off it may be."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from exitwatch.lib.formatting import from_iso_z
from routes.places.drive import DriveEstimate

# How far a drive figure may be off: a sourced route's distance says nothing of
# traffic or stops; a great-circle estimate may miss the road's real shape.
DRIVE_SPREAD = {"route": (0.85, 1.3), "estimate": (0.75, 1.6)}
# A reported wait is a moment's queue: it may halve or double by arrival.
WAIT_SPREAD = (0.5, 2.0)
# Check-in and exit control before an international flight: an airline's usual
# advice is to arrive three hours before departure.
AIRPORT_HOURS = 3.0
# Which wait each way of travelling joins; "" (any) takes the shortest known.
WAIT_FOR = {"car": ("car",), "bus": ("bus",), "foot": ("pedestrian",)}
ANY_WAIT = ("car", "bus", "pedestrian")


@dataclass
class Estimate:
    """Hours until across, a low and high bound (None: no bound can be given)
    and the parts it adds up."""

    hours: float
    low_hours: float
    high_hours: float | None
    parts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def uncertainty(self) -> str:
        if self.high_hours is None:
            return "high"
        spread = self.high_hours - self.low_hours
        if spread <= max(2.0, 0.5 * self.hours):
            return "low"
        return "medium" if spread <= max(6.0, self.hours) else "high"

    def data(self) -> dict[str, Any]:
        return {
            "hours": round(self.hours, 1),
            "low_hours": round(self.low_hours, 1),
            "high_hours": None
            if self.high_hours is None
            else round(self.high_hours, 1),
            "uncertainty": self.uncertainty,
            "parts": self.parts,
        }


def _drive_part(drive: DriveEstimate) -> dict[str, Any]:
    return {
        "what": "drive",
        "hours": round(drive.hours, 1),
        "km": round(drive.km),
        "basis": drive.basis,
        "source_url": drive.source_url,
        "detour_factor": drive.detour_factor,
        "speed_kmh": drive.speed_kmh,
    }


def wait_now(
    crossing: dict[str, Any], mode: str, now: datetime
) -> dict[str, Any] | None:
    """The latest wait this traveller would join, with its age and basis."""
    best = None
    for key in WAIT_FOR.get(mode, ANY_WAIT):
        minutes = crossing["waits"].get(key)
        if minutes is None:
            continue
        if best is None or minutes < best["minutes"]:
            basis = crossing["wait_basis"].get(key) or {}
            observed = basis.get("last_observed_at") or crossing["last_observed_at"]
            observed_at = from_iso_z(observed)
            best = {
                "mode": key,
                "minutes": minutes,
                "observed_at": observed,
                "age_minutes": None
                if observed_at is None
                else max(0, round((now - observed_at).total_seconds() / 60)),
                "source_kind": basis.get("source_kind") or crossing["last_source_kind"],
                "reports": basis.get("count"),
                "stale": crossing["stale"],
            }
    return best


def land_estimate(drive: DriveEstimate, wait: dict[str, Any] | None) -> Estimate:
    low_factor, high_factor = DRIVE_SPREAD[drive.basis]
    hours, low, high = drive.hours, drive.hours * low_factor, drive.hours * high_factor
    parts = [_drive_part(drive)]
    if wait is None or wait["stale"]:
        # No current queue figure: the estimate is the drive alone and cannot
        # be bounded above.
        parts.append({"what": "wait", "hours": None, "basis": "unknown"})
        return Estimate(hours, low, None, parts)
    wait_hours = wait["minutes"] / 60
    parts.append({"what": "wait", "hours": round(wait_hours, 1), "basis": "reported"})
    return Estimate(
        hours + wait_hours,
        low + wait_hours * WAIT_SPREAD[0],
        high + wait_hours * WAIT_SPREAD[1],
        parts,
    )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    # Departure dates are local: read them in the site's time zone.
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    return start, start + timedelta(days=1)


def flight_estimate(drive: DriveEstimate, departure: date, now: datetime) -> Estimate:
    """Until the next departure with seats: the day is known, not the hour, so
    the middle of the day is the estimate and the whole day its range."""
    ground = drive.hours + AIRPORT_HOURS
    ready = now + timedelta(hours=ground)
    start, end = _day_bounds(departure)
    middle = start + timedelta(hours=12)

    def until(moment: datetime) -> float:
        return (max(moment, ready) - now).total_seconds() / 3600

    parts = [
        _drive_part(drive),
        {"what": "airport", "hours": AIRPORT_HOURS, "basis": "assumed"},
        {"what": "departure", "date": departure.isoformat(), "basis": "reported"},
    ]
    return Estimate(until(middle), until(start), until(end), parts)
