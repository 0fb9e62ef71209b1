"""Reads about crossings used in more than one place."""

from __future__ import annotations

import functools
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import translation
from django_countries import countries

from exitwatch.lib.formatting import iso_z
from routes.models import (
    SIDE_FACT_FIELDS,
    WAIT_MODES,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    Side,
    Status,
    combined_status,
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


# The row a side's claim at a moment rests on: per crossing, the newest row
# observed by then that is about that side (or about both).
# The last key: the newest row about the Russian side that carried its
# published facts (a dated report about that side may carry none).
_AT_KEYS = {
    "_at_ru": Side.RUSSIAN,
    "_at_neighbour": Side.NEIGHBOUR,
    "_at_both": Side.BOTH,
    "_at_last": None,
    "_at_facts": Side.RUSSIAN,
}


def _newest_row_at(at: datetime, side: str | None, *, facts: bool = False) -> Subquery:
    rows = CrossingUpdate.objects.filter(crossing=OuterRef("pk"), observed_at__lte=at)
    if side is not None:
        rows = rows.filter(side=side)
    if facts:
        rows = rows.filter(facts__isnull=False)  # routes_update_facts_at
    return Subquery(rows.order_by("-observed_at", "-id").values("pk")[:1])


def crossings_at(
    at: datetime, crossings: QuerySet[BorderCrossing] | None = None
) -> list[BorderCrossing]:
    """The crossings as they stood at `at`, read from their history.

    Two queries whatever the history's size: the crossings with, per side, the id
    of the newest row observed by then (index seeks on (crossing, side,
    -observed_at)), then those rows. Each crossing's state fields are replaced
    in memory (nothing is saved): each side's claim then, the stricter of the
    two, the waits and note of the newest row, the side's published facts.
    """
    queryset = crossings if crossings is not None else BorderCrossing.objects.all()
    found = list(
        queryset.annotate(
            **{
                key: _newest_row_at(at, side, facts=key == "_at_facts")
                for key, side in _AT_KEYS.items()
            }
        )
    )
    ids = {getattr(c, key) for c in found for key in _AT_KEYS} - {None}
    # Plain rows, not model instances: building hundreds of those was a fifth
    # of a past map's time.
    rows = {
        row["id"]: SimpleNamespace(**row)
        for row in CrossingUpdate.objects.filter(pk__in=ids).values(*_ROW_FIELDS)
    }
    for crossing in found:
        picked = {key: rows.get(getattr(crossing, key)) for key in _AT_KEYS}
        _apply_state_at(crossing, picked)
    return found


# What the state at a moment reads of a history row.
_ROW_FIELDS = (
    "id",
    "status",
    "observed_at",
    "recorded_at",
    "source_kind",
    "source_url",
    "note",
    "note_ru",
    "facts",
    "queue_length",
    "wait_basis",
    *(f"wait_{mode}" for mode in WAIT_MODES),
)

# What a crossing shows of a published fact before any was published: no
# hours, bilateral unknown. Cargo-only and the official point are the
# checkpoint's nature and place, not a dated claim, so today's stand.
UNPUBLISHED = {"hours": "", "hours_text_ru": "", "bilateral": None}


def _published_facts_at(claim: SimpleNamespace | None) -> dict[str, Any]:
    return (claim.facts if claim is not None else None) or {}


def _newer(a: SimpleNamespace | None, b: SimpleNamespace | None) -> Any:
    if a is None or b is None:
        return a or b
    return max(a, b, key=lambda row: (row.observed_at, row.id))


def _apply_state_at(
    crossing: BorderCrossing, picked: dict[str, SimpleNamespace | None]
) -> None:
    sides = {}
    for prefix, key in (("ru", "_at_ru"), ("neighbour", "_at_neighbour")):
        claim = _newer(picked[key], picked["_at_both"])
        state = {
            "status": claim.status if claim else Status.UNKNOWN,
            "observed_at": claim.observed_at if claim else None,
            "source_kind": claim.source_kind if claim else "",
            "source_url": claim.source_url if claim else "",
            "note": claim.note if claim else "",
            "note_ru": claim.note_ru if claim else "",
        }
        for field, value in state.items():
            setattr(crossing, f"{prefix}_{field}", value)
        sides[prefix] = (state["status"], state["observed_at"])
    crossing.status, crossing.status_observed_at = combined_status(
        sides["ru"], sides["neighbour"]
    )
    # The Russian side's published facts as of its claim then; before any
    # was published, none is shown rather than today's.
    facts = _published_facts_at(picked["_at_facts"])
    for key, field in SIDE_FACT_FIELDS.items():
        if key in facts:
            setattr(crossing, field, facts[key])
        elif key in UNPUBLISHED:
            setattr(crossing, field, UNPUBLISHED[key])
    last = picked["_at_last"]
    crossing.last_observed_at = last.observed_at if last else None
    crossing.last_recorded_at = last.recorded_at if last else None
    crossing.last_source_kind = last.source_kind if last else ""
    crossing.last_source_url = last.source_url if last else ""
    crossing.note = last.note if last else ""
    crossing.queue_length = last.queue_length if last else None
    crossing.wait_basis = last.wait_basis if last else None
    for mode in WAIT_MODES:
        setattr(
            crossing, f"wait_{mode}", getattr(last, f"wait_{mode}") if last else None
        )


def crossing_history(*, crossing: BorderCrossing) -> list[CrossingUpdate]:
    """Every update of a crossing, newest observation first."""
    return list(
        CrossingUpdate.objects.filter(crossing=crossing)
        .select_related("actor")
        .order_by("-observed_at", "-id")
    )


# --- GeoJSON features of the map document (docs/map-snapshot.md) -------------


@functools.lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, str]:
    """The English and Russian names of an ISO 3166 country code.

    Kept once looked up: building a map document asked for them per crossing,
    a quarter of its time, and they change only with a release.
    """
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
            # When the claim behind `status` was made ("last known N days ago").
            "status_observed_at": iso_z(crossing.status_observed_at),
            # Each side's own claim; `status` is the stricter of the two.
            "sides": {
                prefix: {
                    "status": state["status"],
                    "observed_at": iso_z(state["observed_at"]),
                    "source_kind": state["source_kind"],
                    "source_url": state["source_url"],
                    "note": state["note"],
                    "note_ru": state["note_ru"],
                }
                for prefix, state in (
                    ("ru", crossing.side_state(Side.RUSSIAN)),
                    ("neighbour", crossing.side_state(Side.NEIGHBOUR)),
                )
            },
            "official_id": crossing.official_id,
            "bilateral": crossing.bilateral,
            "cargo_only": crossing.cargo_only,
            "de_facto": crossing.de_facto,
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
