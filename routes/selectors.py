"""Reads about crossings used in more than one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import translation
from django_countries import countries

from exitwatch.lib.formatting import iso_z
from routes.models import BorderCrossing, CrossingUpdate, ExitRoute


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


# --- GeoJSON features of the map document (docs/map-snapshot.md) -------------


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
            "last_observed_at": iso_z(crossing.last_observed_at),
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


# --- Page reads: the crossing page ----------------------------------------------
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
