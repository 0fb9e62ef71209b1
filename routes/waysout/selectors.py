"""Every way out from one place for one traveller, at one moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from routes.flights.models import Availability, FlightReport
from routes.flights.selectors import FLIGHT_WINDOW_DAYS, SEATS_AVAILABLE
from routes.places.drive import drive_estimate
from routes.places.models import Place
from routes.waysout.estimates import Estimate, flight_estimate, land_estimate, wait_now
from routes.waysout.profile import Profile, Travel
from routes.waysout.reasons import Country, Reason, say
from routes.waysout.rules import (
    DE_FACTO_CODES,
    access_reasons,
    entry_reasons,
    side_status_reasons,
)
from routes.waysout.world import World, world_at


@dataclass
class Way:
    """One way out and what it means for this traveller."""

    kind: str  # "land" or "flight"
    destination_country: str
    reasons: list[Reason]
    estimate: Estimate
    crossing: dict[str, Any] | None = None
    flight: dict[str, Any] | None = None
    wait: dict[str, Any] | None = None
    fare: dict[str, Any] | None = None
    entry_rule: Any = None
    advisories: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_to_you(self) -> bool:
        return not any(r.blocks for r in self.reasons)

    def sort_key(self) -> tuple[bool, float, str]:
        return (not self.open_to_you, self.estimate.hours, self.name_key)

    @property
    def name_key(self) -> str:
        if self.crossing is not None:
            return self.crossing["slug"]
        return f"{self.flight['origin']}-{self.flight['destination']}"


@dataclass
class WaysOut:
    """The answer: the ways sorted by the hours until across, open ones first."""

    place: Place
    profile: Profile
    moment: datetime
    past: bool
    ways: list[Way]
    data_as_of: str | None


def land_reasons(
    world: World, crossing: dict[str, Any], profile: Profile
) -> tuple[str, Any, list[Reason]]:
    """Whether a crossing lets this traveller through, wherever they start:
    (destination code, its entry rule, the reasons)."""
    country = crossing["country"]
    destination = DE_FACTO_CODES.get(crossing["de_facto"], country)
    reasons: list[Reason] = []
    if profile.mode == Travel.PLANE:
        reasons.append(say("not_your_mode", blocks=True))
    reasons += side_status_reasons(crossing, country)
    crossing_id = world.crossing_ids.get(crossing["slug"])
    reasons += access_reasons(world.access.get(crossing_id, {}), country, profile)
    rule = world.entry.get(destination)
    if crossing["de_facto"]:
        reasons.append(say("de_facto", blocks=False, country=Country(destination)))
    reasons += entry_reasons(rule, destination, profile)
    return destination, rule, reasons


def _land_way(
    world: World,
    place: Place,
    crossing: dict[str, Any],
    profile: Profile,
    now: datetime,
) -> Way:
    destination, rule, reasons = land_reasons(world, crossing, profile)
    route = world.distances.get((place.slug, world.crossing_ids.get(crossing["slug"])))
    drive = drive_estimate(
        place,
        latitude=crossing["latitude"],
        longitude=crossing["longitude"],
        route_km=route[0] if route else None,
        route_source=route[1] if route else "",
    )
    wait = wait_now(crossing, profile.mode, now)
    return Way(
        kind="land",
        destination_country=destination,
        reasons=reasons,
        estimate=land_estimate(drive, wait),
        crossing=crossing,
        wait=wait,
        entry_rule=rule,
        advisories=world.advisories.get(destination, []),
    )


@dataclass(frozen=True)
class Verdict:
    """Whether one crossing is open to a traveller, and why."""

    slug: str
    destination_country: str
    reasons: list[Reason]

    @property
    def open_to_you(self) -> bool:
        return not any(r.blocks for r in self.reasons)


def crossing_verdicts(
    *, profile: Profile, at: datetime | None = None
) -> dict[str, Verdict]:
    """Per crossing for travellers (cargo-only ones left out), whether it is
    open to `profile` now or at `at`: what the map, its list and /lite/ filter
    by. No query when the moment's shared facts are warm."""
    world = world_at(at)
    verdicts = {}
    for crossing in world.crossings:
        if crossing["cargo_only"]:
            continue
        destination, _rule, reasons = land_reasons(world, crossing, profile)
        verdicts[crossing["slug"]] = Verdict(crossing["slug"], destination, reasons)
    return verdicts


def _price(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _flight_rows(world: World, place: Place, day: date) -> list[dict[str, Any]]:
    """Per route from the place's airports over the coming week, per currency:
    the cheapest fare, the most seats seen, the next departure with seats. One
    query, shared by the answers of the moment's world; a moment in the past
    sees only what had been observed by then."""
    origins = tuple(
        world.airports[code].id for code in place.airports if code in world.airports
    )
    if not origins:
        return []
    key = ("flights", origins, day)
    if key in world.shared:
        return world.shared[key]
    reports = FlightReport.objects.filter(
        origin_id__in=origins,
        departure_date__gte=day,
        departure_date__lt=day + timedelta(days=FLIGHT_WINDOW_DAYS),
    )
    if world.past:
        reports = reports.filter(observed_at__lte=world.moment)
    rows = world.shared[key] = list(
        reports.values("origin__iata", "destination__iata", "currency")
        .annotate(
            min_price=Min("price"),
            reports=Count("id"),
            with_seats=Count("id", filter=SEATS_AVAILABLE),
            sold_out=Count("id", filter=Q(availability=Availability.SOLD_OUT)),
            most_seats=Max("seats", filter=SEATS_AVAILABLE),
            last_observed_at=Max("observed_at"),
            next_with_seats=Min("departure_date", filter=SEATS_AVAILABLE),
        )
        .order_by()
    )
    return rows


def _hours_since(moment: datetime | None, now: datetime) -> float | None:
    if moment is None:
        return None
    return round(max(0.0, (now - moment).total_seconds() / 3600), 1)


def _flight_ways(
    world: World, place: Place, profile: Profile, now: datetime
) -> list[Way]:
    day = timezone.localdate(now)
    routes: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _flight_rows(world, place, day):
        key = (row["origin__iata"], row["destination__iata"])
        seen = routes.setdefault(
            key, {"reports": 0, "sold_out": 0, "with_seats": 0, "rows": []}
        )
        seen["rows"].append(row)
        for name in ("reports", "sold_out", "with_seats"):
            seen[name] += row[name]
    ways = []
    for (origin, destination), seen in sorted(routes.items()):
        airport = world.airports[destination]
        start = world.airports[origin]
        rows = seen["rows"]
        # The headline fare is in the currency most reports price.
        priced = [r for r in rows if r["min_price"] is not None]
        headline = max(
            priced, key=lambda r: (r["reports"], r["currency"] == "RUB"), default=None
        )
        next_with_seats = min(
            (r["next_with_seats"] for r in rows if r["next_with_seats"]), default=None
        )
        last_observed = max(r["last_observed_at"] for r in rows)
        reasons: list[Reason] = []
        if start.checkpoint_working is False:
            reasons.append(say("airport_closed", blocks=True))
        if seen["sold_out"] == seen["reports"]:
            reasons.append(say("sold_out", blocks=True))
        elif next_with_seats is None:
            reasons.append(say("no_seats", blocks=True))
        rule = world.entry.get(airport.country)
        reasons += entry_reasons(rule, airport.country, profile)
        drive = drive_estimate(
            place, latitude=start.latitude, longitude=start.longitude
        )
        estimate = flight_estimate(
            drive, next_with_seats or day + timedelta(days=FLIGHT_WINDOW_DAYS), now
        )
        ways.append(
            Way(
                kind="flight",
                destination_country=airport.country,
                reasons=reasons,
                estimate=estimate,
                flight={
                    "origin": origin,
                    "origin_city_en": start.city_en,
                    "origin_city_ru": start.city_ru,
                    "destination": destination,
                    "destination_city_en": airport.city_en,
                    "destination_city_ru": airport.city_ru,
                    "date": next_with_seats.isoformat() if next_with_seats else None,
                },
                fare={
                    "min_price": _price(headline["min_price"]) if headline else None,
                    "currency": headline["currency"] if headline else "",
                    "prices": sorted(
                        (
                            {
                                "currency": r["currency"],
                                "min_price": _price(r["min_price"]),
                            }
                            for r in priced
                        ),
                        key=lambda p: p["currency"],
                    ),
                    "seats": max(
                        (r["most_seats"] for r in rows if r["most_seats"]), default=None
                    ),
                    "reports": seen["reports"],
                    "last_observed_at": last_observed,
                    "age_hours": _hours_since(last_observed, now),
                },
                entry_rule=rule,
                advisories=world.advisories.get(airport.country, []),
            )
        )
    return ways


def ways_out(*, place: Place, profile: Profile, at: datetime | None = None) -> WaysOut:
    """Every land crossing and every flight route out of `place` for `profile`,
    now or at a past minute `at`: a constant number of queries whatever the
    number of crossings, and none once the moment's facts (the origin's
    flights among them) are warm in this process."""
    world = world_at(at)
    now = world.moment if world.past else timezone.now()
    ways = [
        _land_way(world, place, crossing, profile, now)
        for crossing in world.crossings
        if not crossing["cargo_only"]
    ]
    ways += _flight_ways(world, place, profile, now)
    ways.sort(key=Way.sort_key)
    return WaysOut(place, profile, now, world.past, ways, world.data_as_of)
