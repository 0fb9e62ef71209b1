"""Load the airports shipped in routes/seed/airports.json (by IATA code)."""

from __future__ import annotations

from pathlib import Path

from routes.flights.models import AIRPORT_NAME_FIELDS, Airport
from routes.seeding import SeedResult, pick, read_rows, upsert

AIRPORT_FIELDS = ["icao", *AIRPORT_NAME_FIELDS, "lat", "lon", "source"]


def seed_airports(*, directory: Path, result: SeedResult) -> None:
    """Create or update every airport; a bad row raises SeedError."""
    for i, row in enumerate(read_rows(directory, "airports.json")):
        where = f"airports.json row {i} ({row.get('iata')})"
        values = pick(row, AIRPORT_FIELDS, where)
        values["latitude"] = values.pop("lat")
        values["longitude"] = values.pop("lon")
        values["note"] = row.get("note", "")
        _, outcome = upsert(Airport, {"iata": row.get("iata")}, values, where)
        result.count("airports", outcome)
