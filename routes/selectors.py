"""Reads about crossings used in more than one place."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone, translation
from django_countries import countries

from advisories.models import Advisory
from routes.models import (
    Availability,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    FlightReport,
)


def crossing_state_at(
    *, crossing: BorderCrossing, at: datetime
) -> CrossingUpdate | None:
    """The crossing's state as known from observations made at or before `at`.

    None when nothing had been observed by then.
    """
    return (
        CrossingUpdate.objects.filter(crossing=crossing, observed_at__lte=at)
        .order_by("-observed_at", "-id")
        .first()
    )


def crossing_history(*, crossing: BorderCrossing) -> list[CrossingUpdate]:
    """Every update of a crossing, newest observation first."""
    return list(
        CrossingUpdate.objects.filter(crossing=crossing)
        .select_related("actor")
        .order_by("-observed_at", "-id")
    )


# --- The map snapshot document (contract: docs/map-snapshot.md) -----------------

FLIGHT_WINDOW_DAYS = 7
SEATS_AVAILABLE = Q(availability__in=[Availability.AVAILABLE, Availability.FEW]) | Q(
    seats__gt=0
)


def iso_utc(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z, to the second: what every client parses alike."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def country_names(code: str) -> tuple[str, str]:
    """The English and Russian names of an ISO 3166 country code."""
    names = []
    for lang in ("en", "ru"):
        with translation.override(lang):
            names.append(str(countries.name(code)) or code)
    return names[0], names[1]


def crossing_feature(crossing: BorderCrossing, now: datetime) -> dict[str, Any]:
    country = crossing.country.code
    name_en, name_ru = country_names(country)
    return {
        "type": "Feature",
        "id": crossing.slug,
        "geometry": {
            "type": "Point",
            "coordinates": [crossing.longitude, crossing.latitude],
        },
        "properties": {
            "slug": crossing.slug,
            "name_en": crossing.name_en,
            "name_ru": crossing.name_ru,
            "neighbour_name_en": crossing.neighbour_name_en,
            "neighbour_name_ru": crossing.neighbour_name_ru,
            "country": country,
            "country_name_en": name_en,
            "country_name_ru": name_ru,
            "region_en": crossing.region_en,
            "region_ru": crossing.region_ru,
            "kind": crossing.kind,
            "modes": crossing.modes,
            "status": crossing.status,
            "waits": crossing.waits,
            # What each wait rests on, e.g. {"car": {"source_kind": "traveller",
            # "count": 4, "last_observed_at": ...}}: clients label the figure.
            "wait_basis": crossing.wait_basis or {},
            "queue_length": crossing.queue_length,
            "restrictions_en": crossing.restrictions_en,
            "restrictions_ru": crossing.restrictions_ru,
            "hours": crossing.hours,
            "note": crossing.note,
            "last_observed_at": iso_utc(crossing.last_observed_at),
            "last_source_kind": crossing.last_source_kind,
            "stale": crossing.is_stale(now),
            "stale_after_minutes": crossing.stale_after_minutes,
            "url": f"/crossings/{crossing.slug}/",
        },
    }


def route_feature(route: ExitRoute, crossing: BorderCrossing, now: datetime) -> dict:
    return {
        "type": "Feature",
        "id": route.slug,
        "geometry": {"type": "LineString", "coordinates": route.path},
        "properties": {
            "slug": route.slug,
            "name_en": route.name_en,
            "name_ru": route.name_ru,
            "origin_en": route.origin_en,
            "origin_ru": route.origin_ru,
            "destination_en": route.destination_en,
            "destination_ru": route.destination_ru,
            "crossing": crossing.slug,
            "status": crossing.status,
            "stale": crossing.is_stale(now),
            "destination_country": route.destination_country.code,
            "distance_km": route.distance_km,
        },
    }


def _latest_advisories() -> list[dict[str, Any]]:
    """The newest advisory about Russia from each issuing government."""
    newest: dict[str, Advisory] = {}
    for advisory in Advisory.objects.filter(target_country="RU").select_related(
        "source"
    ):
        issuer = advisory.source.issuer.code
        seen = newest.get(issuer)
        if seen is None or _advisory_moment(advisory) > _advisory_moment(seen):
            newest[issuer] = advisory
    return [
        {
            "source": a.source.key,
            "issuer": issuer,
            "source_name_en": a.source.name_en,
            "source_name_ru": a.source.name_ru,
            "target_country": a.target_country.code,
            "level": a.level,
            "level_text": a.level_text,
            "title": a.title,
            "url": a.url,
            "published_at": iso_utc(a.published_at),
            "changed_at": iso_utc(a.changed_at),
        }
        for issuer, a in sorted(newest.items())
    ]


def _advisory_moment(advisory: Advisory) -> datetime:
    return advisory.published_at or advisory.changed_at


def _price(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _flight_summary(today: date) -> list[dict[str, Any]]:
    """Per origin→destination over the next week: cheapest price, any seats.

    Prices in different currencies are not comparable without rates nobody here
    vouches for, so each currency is aggregated apart; the headline price is the
    one in the currency most reports give, and `prices` lists every currency.
    """
    rows = (
        FlightReport.objects.filter(
            departure_date__gte=today,
            departure_date__lt=today + timedelta(days=FLIGHT_WINDOW_DAYS),
        )
        .values(
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
        entry["last_observed_at"] = iso_utc(entry["last_observed_at"])
        for field in ("next_departure_date", "next_departure_with_seats"):
            entry[field] = entry[field] and entry[field].isoformat()
        result.append(entry)
    return result


def _max(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _min(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)


def map_snapshot_document(
    *, version: str, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the public map draws, as one JSON-ready document.

    Four queries whatever the row counts: crossings, routes, advisories and the
    flight aggregate. The shape is a contract with the front end
    (docs/map-snapshot.md): keys may be added, never renamed.
    """
    now = now or timezone.now()
    crossings = {c.pk: c for c in BorderCrossing.objects.order_by("country", "name_en")}
    routes = ExitRoute.objects.order_by("name_en")
    return {
        "version": version,
        "generated_at": iso_utc(now),
        "crossings": {
            "type": "FeatureCollection",
            "features": [crossing_feature(c, now) for c in crossings.values()],
        },
        "routes": {
            "type": "FeatureCollection",
            "features": [
                route_feature(r, crossings[r.crossing_id], now)
                for r in routes
                if r.crossing_id in crossings
            ],
        },
        "advisories": _latest_advisories(),
        "flights": _flight_summary(timezone.localdate(now)),
    }


# --- Page reads (issue 5: the crossing page) -------------------------------------
# Reads only the public pages make. The map and /lite/ read the snapshot instead.

CROSSING_PAGE_UPDATES = 200


def crossing_page_updates(
    *, crossing: BorderCrossing, limit: int = CROSSING_PAGE_UPDATES
) -> list[CrossingUpdate]:
    """The crossing's latest updates, newest observation first: its table and chart."""
    return list(
        CrossingUpdate.objects.filter(crossing=crossing).order_by(
            "-observed_at", "-id"
        )[:limit]
    )


def crossing_page_routes(*, crossing: BorderCrossing) -> list[ExitRoute]:
    """The exit routes that go through the crossing."""
    return list(ExitRoute.objects.filter(crossing=crossing).order_by("name_en"))
