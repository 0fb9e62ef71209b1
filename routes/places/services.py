"""The one write path for places."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from routes.flights.models import Airport
from routes.places.drive import great_circle_km
from routes.places.models import Place, PlaceKind
from routes.places.selectors import places_cache_bump

# Subjects by their ISO 3166-2:RU code; Crimea and Sevastopol by Ukraine's
# (UA-43, UA-40), the only codes the standard gives them. Russia's claimed
# subjects in occupied Donetsk, Luhansk, Zaporizhzhia and Kherson oblasts have
# no code of either kind and are no origin we vouch for (routes.places.seeding).
REGION_CODE = re.compile(r"^RU-[A-Z]{2,3}$")
OCCUPIED_SINCE_2014 = {"UA-43", "UA-40"}
# Four decimals is about 11 m: finer than any city's centre is defined.
COORDINATE_DECIMALS = 4

PLACE_FIELDS = (
    "name_en",
    "name_ru",
    "region_en",
    "region_ru",
    "region_code",
    "latitude",
    "longitude",
    "kind",
    "airports",
    "source_url",
    "source_date",
    "note",
)


def _coordinate(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return round(number, COORDINATE_DECIMALS) if math.isfinite(number) else None


def _problems(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in ("name_en", "name_ru", "region_en", "region_ru"):
        if not values[field]:
            add(field, _("This field is required."))
    code = values["region_code"]
    if not (REGION_CODE.match(code) or code in OCCUPIED_SINCE_2014):
        add(
            "region_code",
            _(
                "Give the region's ISO 3166-2:RU code (RU-MUR), or UA-43 or "
                "UA-40 for Crimea and Sevastopol."
            ),
        )
    for field in ("latitude", "longitude"):
        if values[field] is None:
            add(field, _("Give the coordinate as a number."))
    if values["latitude"] is not None and not -90 <= values["latitude"] <= 90:
        add("latitude", _("Latitude must be between -90 and 90."))
    if values["longitude"] is not None and not -180 <= values["longitude"] <= 180:
        add("longitude", _("Longitude must be between -180 and 180."))
    if values["kind"] not in PlaceKind.values:
        add("kind", _("Unknown kind of place %(value)r.") % {"value": values["kind"]})
    if not values["source_url"].startswith(("https://", "http://")):
        add("source_url", _("Give the address of the source."))
    when = values["source_date"]
    if not isinstance(when, date) or when > timezone.localdate():
        add("source_date", _("Give the source's date, not one in the future."))
    airports = values["airports"]
    if not all(isinstance(code, str) for code in airports) or len(set(airports)) != len(
        airports
    ):
        add("airports", _("Give a list of distinct IATA codes."))
    return errors


def _airports_nearest_first(
    codes: Sequence[str], latitude: float, longitude: float
) -> list[str]:
    """The codes ordered by distance from the place; ValidationError naming any
    that is not a seeded airport."""
    known = {
        a.iata: a
        for a in Airport.objects.filter(iata__in=codes).only(
            "iata", "latitude", "longitude"
        )
    }
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {
                "airports": [
                    _("No seeded airport with IATA code %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                ]
            }
        )
    return sorted(
        codes,
        key=lambda code: great_circle_km(
            latitude, longitude, known[code].latitude, known[code].longitude
        ),
    )


def place_checked(
    *,
    slug: str,
    name_en: str,
    name_ru: str,
    region_en: str,
    region_ru: str,
    region_code: str,
    latitude: float,
    longitude: float,
    kind: str,
    source_url: str,
    source_date: date,
    airports: Sequence[str] = (),
    note: str = "",
) -> dict[str, Any]:
    """The values place_upsert would store for these (names trimmed,
    coordinates to four decimals, airports nearest first), or ValidationError
    with messages by field. Writes nothing: the admin's form asks it."""
    values: dict[str, Any] = {
        "name_en": name_en.strip(),
        "name_ru": name_ru.strip(),
        "region_en": region_en.strip(),
        "region_ru": region_ru.strip(),
        "region_code": region_code,
        "latitude": _coordinate(latitude),
        "longitude": _coordinate(longitude),
        "kind": kind,
        "airports": list(airports),
        "source_url": source_url,
        "source_date": source_date,
        "note": note,
    }
    errors = _problems(values)
    if errors:
        raise ValidationError(errors)
    values["airports"] = _airports_nearest_first(
        values["airports"], values["latitude"], values["longitude"]
    )
    # The slug's form, the coordinates' ranges, lengths, the URL's form.
    Place(slug=slug, **values).full_clean(validate_unique=False)
    return values


@transaction.atomic
def place_upsert(
    *,
    slug: str,
    name_en: str,
    name_ru: str,
    region_en: str,
    region_ru: str,
    region_code: str,
    latitude: float,
    longitude: float,
    kind: str,
    source_url: str,
    source_date: date,
    airports: Sequence[str] = (),
    note: str = "",
) -> tuple[Place, str]:
    """Create or replace the place `slug`; (place, "created" | "updated" |
    "unchanged"). Raises ValidationError (messages by field), as
    place_checked says."""
    values = place_checked(
        slug=slug,
        name_en=name_en,
        name_ru=name_ru,
        region_en=region_en,
        region_ru=region_ru,
        region_code=region_code,
        latitude=latitude,
        longitude=longitude,
        kind=kind,
        source_url=source_url,
        source_date=source_date,
        airports=airports,
        note=note,
    )
    place = Place.objects.select_for_update().filter(slug=slug).first()
    if place is not None and all(
        getattr(place, name) == values[name] for name in PLACE_FIELDS
    ):
        return place, "unchanged"
    outcome = "created" if place is None else "updated"
    place = place or Place(slug=slug)
    for name, value in values.items():
        setattr(place, name, value)
    place.save()
    # This process reads its own write at once; the others once the commit
    # bumps the shared version.
    places_cache_bump(local_only=True)
    transaction.on_commit(places_cache_bump)
    return place, outcome
