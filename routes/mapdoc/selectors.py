"""The map document: everything the public map draws, built by one selector.

The shape is a contract with the front end (docs/map-snapshot.md).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from advisories.selectors import advisories_newest
from exitwatch.lib.formatting import iso_z
from routes.flights.models import Availability, FlightReport
from routes.flights.selectors import FLIGHT_WINDOW_DAYS, SEATS_AVAILABLE
from routes.models import BorderCrossing, ExitRoute
from routes.selectors import crossing_feature, crossings_at, route_feature


def _price(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _flight_summary(today: date, at: datetime | None = None) -> list[dict[str, Any]]:
    """Per origin→destination over the next week: cheapest price, any seats.

    Prices in different currencies are not comparable without rates nobody here
    vouches for, so each currency is aggregated apart; the headline price is the
    one in the currency most reports give, and `prices` lists every currency.
    """
    reports = FlightReport.objects.filter(
        departure_date__gte=today,
        departure_date__lt=today + timedelta(days=FLIGHT_WINDOW_DAYS),
    )
    if at is not None:
        reports = reports.filter(observed_at__lte=at)
    rows = (
        reports.values(
            "origin__iata",
            "origin__city_en",
            "origin__city_ru",
            "destination__iata",
            "destination__city_en",
            "destination__city_ru",
            "destination__country",
            "currency",
        )
        .annotate(
            min_price=Min("price"),
            reports=Count("id"),
            priced=Count("price"),
            with_seats=Count("id", filter=SEATS_AVAILABLE),
            sold_out=Count("id", filter=Q(availability=Availability.SOLD_OUT)),
            last_observed_at=Max("observed_at"),
            next_departure_date=Min("departure_date"),
            next_with_seats=Min("departure_date", filter=SEATS_AVAILABLE),
        )
        .order_by()
    )
    summary: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["origin__iata"], row["destination__iata"])
        entry = summary.get(key)
        if entry is None:
            entry = summary[key] = {
                "origin": row["origin__iata"],
                "origin_city_en": row["origin__city_en"],
                "origin_city_ru": row["origin__city_ru"],
                "destination": row["destination__iata"],
                "destination_city_en": row["destination__city_en"],
                "destination_city_ru": row["destination__city_ru"],
                "destination_country": row["destination__country"],
                "min_price": None,
                "currency": "",
                "any_seats": False,
                "sold_out": False,
                "reports": 0,
                "last_observed_at": None,
                "next_departure_date": None,
                "next_departure_with_seats": None,
                "prices": [],
                "_sold_out": 0,
                "_priced": 0,
            }
        entry["reports"] += row["reports"]
        entry["_sold_out"] += row["sold_out"]
        entry["any_seats"] = entry["any_seats"] or row["with_seats"] > 0
        entry["last_observed_at"] = _max(
            entry["last_observed_at"], row["last_observed_at"]
        )
        entry["next_departure_date"] = _min(
            entry["next_departure_date"], row["next_departure_date"]
        )
        entry["next_departure_with_seats"] = _min(
            entry["next_departure_with_seats"], row["next_with_seats"]
        )
        if row["min_price"] is not None:
            price = {"currency": row["currency"], "min_price": _price(row["min_price"])}
            entry["prices"].append(price)
            if (row["priced"], row["currency"] == "RUB") > (entry["_priced"], False):
                entry["_priced"] = row["priced"]
                entry["min_price"] = price["min_price"]
                entry["currency"] = row["currency"]
    result = []
    for key in sorted(summary):
        entry = summary[key]
        entry["sold_out"] = entry.pop("_sold_out") == entry["reports"]
        del entry["_priced"]
        entry["prices"].sort(key=lambda p: p["currency"])
        entry["last_observed_at"] = iso_z(entry["last_observed_at"])
        for field in ("next_departure_date", "next_departure_with_seats"):
            entry[field] = entry[field] and entry[field].isoformat()
        result.append(entry)
    return result


def _max(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _min(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)


def map_snapshot_document(
    *, version: str, now: datetime | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """Everything the public map draws, as one JSON-ready document.

    With `at`, the map as it stood then: each crossing's state read from its
    history (routes.selectors.crossings_at), the advisories published by then
    and the flights known by then. Five queries at most whatever the row
    counts. The shape is a contract with the front end (docs/map-snapshot.md):
    keys may be added, never renamed.
    """
    now = now or timezone.now()
    moment = at or now
    ordered = BorderCrossing.objects.order_by("country", "name_en")
    found = crossings_at(at, ordered) if at is not None else ordered
    crossings = {c.pk: c for c in found}
    routes = ExitRoute.objects.order_by("name_en")
    return {
        "version": version,
        "generated_at": iso_z(now),
        "at": iso_z(at),
        # The newest confirmed figure: what "data as of" means, not build time.
        "data_as_of": iso_z(
            max(
                (c.last_observed_at for c in crossings.values() if c.last_observed_at),
                default=None,
            )
        ),
        "crossings": {
            "type": "FeatureCollection",
            "features": [crossing_feature(c, moment) for c in crossings.values()],
        },
        "routes": {
            "type": "FeatureCollection",
            "features": [
                route_feature(r, crossings[r.crossing_id], moment)
                for r in routes
                if r.crossing_id in crossings
            ],
        },
        "advisories": advisories_newest(at=at, targets=("RU",)),
        "flights": _flight_summary(timezone.localdate(moment), at),
    }
