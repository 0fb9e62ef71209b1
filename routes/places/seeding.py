"""Load places from a JSON file (routes/seed/places.json): upserted by slug, all
or nothing.

What the shipped file holds, and why:

- The administrative centre of every federal subject Russia had before 2014
  (83) and of Crimea and Sevastopol (85 in all), whatever its distance from a
  border; tests/routes/places check that every one within 1,500 km of a land
  crossing in routes/seed/crossings.json is there. Russia's constitution has
  counted 89 subjects since October 2022: the other four are its claimed
  annexations of Ukraine's Donetsk, Luhansk, Zaporizhzhia and Kherson oblasts.
  Their capitals (Donetsk, Luhansk, Melitopol or Zaporizhzhia, Kherson or
  Henichesk) are left out: they are occupied Ukrainian cities, not origins we
  vouch for, and no ISO 3166-2 code names them as Russian subjects (the loader
  refuses such a region code). Crimea and Sevastopol, occupied since 2014, are
  kept because people leave from there through Russia; their regions carry
  neutral names ("Crimea", "Sevastopol") and Ukraine's ISO codes (UA-43,
  UA-40), never Russia's "Republic of Crimea".
- Where a subject has no single administrative centre, the row says which city
  was chosen and why in its `note` (Moscow Oblast: Krasnogorsk, where its
  government sits; Leningrad Oblast: Gatchina, its capital since 2023).
- Every other Russian city with an airport in routes/seed/airports.json (Sochi,
  Mineralnye Vody), as "airport-city".
- Coordinates: the city centre from the HFLabs "city" dataset (DaData, after
  the Wikipedia list of Russian cities; CC BY-SA 4.0), dated 2021-10-11, each
  row's `source_url` the line it was read from; cross-checked against GeoNames
  (median 1.3 km apart, at most 8 km, Ufa's centre) and a sample of Wikipedia
  articles.
- `airports`: the seeded airports within 100 km of the place (a stated
  assumption for "serves"), nearest first; the service orders them.

A row is an object with `slug`, `name_en`, `name_ru`, `region_en`,
`region_ru`, `region_code` (ISO 3166-2), `kind`, `latitude`, `longitude`,
`airports`, `source_url`, `source_date` (YYYY-MM-DD) and optionally `note`.
Airports are matched to the Airport table, so they are loaded first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date

from routes.places.services import place_upsert

REQUIRED = (
    "slug",
    "name_en",
    "name_ru",
    "region_en",
    "region_ru",
    "region_code",
    "kind",
    "latitude",
    "longitude",
    "airports",
    "source_url",
    "source_date",
)
OPTIONAL = ("note",)
NUMBERS = ("latitude", "longitude")


class PlaceLoadError(Exception):
    """A places file could not be loaded; nothing from it was stored."""


@dataclass
class PlaceLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    return "; ".join(exc.messages)


def _row(row: dict[str, Any], where: str, result: PlaceLoad) -> None:
    missing = [name for name in REQUIRED if name not in row]
    unknown = sorted(set(row) - {*REQUIRED, *OPTIONAL})
    if missing or unknown:
        said = [f"missing {', '.join(missing)}"] if missing else []
        said += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise PlaceLoadError(f"{where}: {'; '.join(said)}")
    texts = [n for n in REQUIRED if n not in NUMBERS and n != "airports"]
    not_text = [n for n in (*texts, *OPTIONAL) if not isinstance(row.get(n, ""), str)]
    if not_text:
        raise PlaceLoadError(f"{where}: not text: {', '.join(not_text)}")
    try:
        day = parse_date(row["source_date"])
    except ValueError:  # well formed, but no such day
        day = None
    if day is None:
        raise PlaceLoadError(f"{where}: source_date must be YYYY-MM-DD")
    if not isinstance(row["airports"], list):
        raise PlaceLoadError(f"{where}: airports must be a list of IATA codes")
    try:
        _, outcome = place_upsert(
            **{name: row[name] for name in REQUIRED if name != "source_date"},
            source_date=day,
            note=row.get("note", ""),
        )
    except ValidationError as exc:
        raise PlaceLoadError(f"{where}: {_messages(exc)}") from None
    setattr(result, outcome, getattr(result, outcome) + 1)


@transaction.atomic
def places_load(path: Path) -> PlaceLoad:
    """Create or update every place in the JSON file at `path`. Raises
    PlaceLoadError naming the file and the row; nothing is then stored."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlaceLoadError(f"{path.name}: {exc}") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise PlaceLoadError(f"{path.name}: expected a JSON array of objects")
    slugs = [row.get("slug") for row in rows]
    twice = sorted({str(s) for s in slugs if slugs.count(s) > 1})
    if twice:
        raise PlaceLoadError(f"{path.name}: slug given twice: {', '.join(twice)}")
    result = PlaceLoad()
    for i, row in enumerate(rows):
        _row(row, f"{path.name} row {i} ({row.get('slug')})", result)
    return result
