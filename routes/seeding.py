"""Load the crossings and exit routes shipped in routes/seed/.

Idempotent by natural key (slug, IATA code): a second load changes nothing. All or
nothing: one bad row stops the load with a message naming the file and the row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime

from routes.models import (
    CROSSING_NAME_FIELDS,
    SIDES,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    Mode,
    SourceKind,
    Status,
)
from routes.services import (
    crossing_create,
    crossing_edit_details,
    crossing_update_record,
)

SEED_DIR = Path(__file__).resolve().parent / "seed"


class SeedError(Exception):
    """The seed files are unreadable or a row is invalid; nothing was written."""


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    statuses_recorded: int = 0

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1


def read_rows(directory: Path, name: str) -> list[dict[str, Any]]:
    path = directory / name
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedError(f"{path}: {exc}") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise SeedError(f"{path}: expected a JSON array of objects")
    return rows


def pick(row: dict[str, Any], names: list[str], where: str) -> dict[str, Any]:
    missing = [n for n in names if n not in row]
    if missing:
        raise SeedError(f"{where}: missing {', '.join(missing)}")
    return {n: row[n] for n in names}


def upsert(
    model: type[models.Model],
    key: dict[str, Any],
    values: dict[str, Any],
    where: str,
) -> tuple[models.Model, str]:
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        outcome = "created"
    else:
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if not changed:
            return obj, "unchanged"
        for k, v in changed.items():
            setattr(obj, k, v)
        outcome = "updated"
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise SeedError(f"{where}: {'; '.join(exc.messages)}") from None
    obj.save()
    return obj, outcome


# Opening hours are not among them: they are the Russian side's published fact,
# which the official list records through the write path.
CROSSING_FIELDS = [
    *CROSSING_NAME_FIELDS,
    "kind",
    "restrictions_en",
    "restrictions_ru",
    "source",
]


# Optional reference fields of a crossing row and their defaults.
CROSSING_OPTIONAL = {
    "official_id": None,
    "de_facto": "",
    "coord_source": "",
    "coord_override": False,
}


def _crossing_values(row: dict[str, Any], where: str) -> dict[str, Any]:
    values = pick(row, [*CROSSING_FIELDS, "lat", "lon", "modes"], where)
    modes = values.pop("modes")
    unknown = set(modes) - set(Mode.values)
    if not modes or unknown:
        raise SeedError(f"{where}: modes must be a non-empty list of {Mode.values}")
    values["latitude"] = values.pop("lat")
    values["longitude"] = values.pop("lon")
    values["stale_after_minutes"] = row.get("wait_stale_after_minutes", 360)
    for mode in Mode.values:
        values[f"allows_{mode}"] = mode in modes
    for name, default in CROSSING_OPTIONAL.items():
        values[name] = row.get(name, default)
    return values


def _load_crossing(row: dict[str, Any], where: str, result: SeedResult) -> None:
    if "slug" not in row:
        raise SeedError(f"{where}: missing slug")
    values = _crossing_values(row, where)
    crossing = BorderCrossing.objects.filter(slug=row["slug"]).first()
    try:
        if crossing is None:
            crossing_create(slug=row["slug"], details=values)
            result.count("crossings", "created")
        else:
            changed = {k: v for k, v in values.items() if getattr(crossing, k) != v}
            if changed:
                crossing_edit_details(crossing=crossing, changes=changed)
                result.count("crossings", "updated")
            else:
                result.count("crossings", "unchanged")
    except ValidationError as exc:
        raise SeedError(f"{where}: {'; '.join(exc.messages)}") from None


STORY_FIELDS = ["crossings", "side", "status", "observed_at", "source_url"]


def _story_event(
    event: dict[str, Any], crossings: dict[str, BorderCrossing], where: str
) -> tuple[list[BorderCrossing], datetime]:
    pick(event, STORY_FIELDS, where)
    if event["side"] not in SIDES or event["status"] not in Status.values:
        raise SeedError(f"{where}: side must be ru or neighbour, status a status")
    try:
        observed_at = parse_datetime(str(event["observed_at"]))
    except ValueError:
        observed_at = None
    if observed_at is None or observed_at.tzinfo is None:
        raise SeedError(f"{where}: observed_at must be ISO 8601 with a time zone")
    unknown = [slug for slug in event["crossings"] if slug not in crossings]
    if unknown or not event["crossings"]:
        raise SeedError(f"{where}: unknown crossings {unknown}")
    return [crossings[slug] for slug in event["crossings"]], observed_at


def seed_story(*, directory: Path, result: SeedResult) -> None:
    """Record each dated, sourced event of story.json on every crossing it names,
    once: an event already in a crossing's history (same side, moment, status
    and source) is not recorded again."""
    crossings = {c.slug: c for c in BorderCrossing.objects.all()}
    # What the history already holds, read once: a second load writes nothing.
    recorded = set(
        CrossingUpdate.objects.exclude(side="").values_list(
            "crossing_id", "side", "observed_at", "status", "source_url"
        )
    )
    for i, event in enumerate(read_rows(directory, "story.json")):
        where = f"story.json event {i} ({event.get('observed_at')})"
        targets, observed_at = _story_event(event, crossings, where)
        for crossing in targets:
            key = (
                crossing.pk,
                event["side"],
                observed_at,
                event["status"],
                event["source_url"],
            )
            if key in recorded:
                continue
            try:
                crossing_update_record(
                    crossing=crossing,
                    source_kind=event.get("source_kind", SourceKind.STAFF),
                    side=event["side"],
                    status=event["status"],
                    note=event.get("note_en", ""),
                    note_ru=event.get("note_ru", ""),
                    source_url=event["source_url"],
                    observed_at=observed_at,
                    actor_label="seed: dated story",
                )
            except ValidationError as exc:
                raise SeedError(f"{where}: {'; '.join(exc.messages)}") from None
            result.statuses_recorded += 1


ROUTE_FIELDS = [
    "name_en",
    "name_ru",
    "origin_en",
    "origin_ru",
    "destination_en",
    "destination_ru",
    "destination_country",
    "distance_km",
    "path",
    "source",
]


def _check_path(path: Any, where: str) -> None:
    ok = (
        isinstance(path, list)
        and len(path) >= 2
        and all(
            isinstance(p, list)
            and len(p) == 2
            and -180 <= p[0] <= 180
            and -90 <= p[1] <= 90
            for p in path
        )
    )
    if not ok:
        raise SeedError(f"{where}: path must be two or more [lon, lat] pairs")


def seed_crossings(*, directory: Path, result: SeedResult) -> None:
    """Create or update every crossing in crossings.json, then record their
    dated story (story.json)."""
    for i, row in enumerate(read_rows(directory, "crossings.json")):
        _load_crossing(row, f"crossings.json row {i} ({row.get('slug')})", result)
    seed_story(directory=directory, result=result)


def seed_routes(*, directory: Path, result: SeedResult) -> None:
    """Create or update every exit route in exit_routes.json (crossings first)."""
    crossings = {c.slug: c for c in BorderCrossing.objects.all()}
    for i, row in enumerate(read_rows(directory, "exit_routes.json")):
        where = f"exit_routes.json row {i} ({row.get('slug')})"
        values = pick(row, ROUTE_FIELDS, where)
        _check_path(values["path"], where)
        crossing = crossings.get(row.get("crossing"))
        if crossing is None:
            raise SeedError(f"{where}: unknown crossing {row.get('crossing')!r}")
        values.update(
            crossing=crossing,
            note_en=row.get("note_en", ""),
            note_ru=row.get("note_ru", ""),
        )
        _, outcome = upsert(ExitRoute, {"slug": row.get("slug")}, values, where)
        result.count("routes", outcome)
