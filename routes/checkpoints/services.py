"""Writes from the official checkpoint list: the Russian side of each land
crossing, and the border checkpoints at Russian airports.

One list is recorded in one transaction. A land checkpoint facing a foreign
country is found by its official id (a crossing the list names that we do not
hold yet is added); its Russian side is recorded through the one write path,
routes.services.crossing_update_record, only when the list says something
new about it: spelling that changed and nothing else (a capital letter, a
space after a comma, an HTML tag) is not news, so loading a list again, or a
list that was only re-typed, writes nothing.

Checkpoints towards the occupied regions of Ukraine have no foreign country on
the list and are left out: docs/official-checkpoints.md says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from routes.checkpoints.sources.rosgranstroy import Checkpoint, clean_text, short_hours
from routes.checkpoints.transliteration import slug_for, transliterate
from routes.flights.services import BorderPost, airports_border_checkpoints_record
from routes.models import (
    MAX_UPDATE_NOTE_LENGTH,
    SIDE_FACT_FIELDS,
    BorderCrossing,
    CrossingKind,
    Side,
    SourceKind,
    Status,
)
from routes.services import crossing_create, crossing_update_record

ACTOR_LABEL = "Rosgranstroy"
COORD_SOURCE = "Rosgranstroy official point"
# Facts compared as text, and the one derived from another (the short hours
# follow the published text: comparing both would count one change twice).
_TEXT_FACTS = {"hours_text_ru"}
_DERIVED_FACTS = {"hours"}
# Official points are published with six decimals.
_POINT_TOLERANCE = 1e-6


@dataclass
class ListRecordResult:
    """What recording one list did, by official id where a person may ask which."""

    seen: int = 0
    # Land checkpoints facing a foreign country: the ones recorded on crossings.
    land: int = 0
    # Land checkpoints without a foreign country (the occupied regions): left out.
    not_facing: int = 0
    created: list[int] = field(default_factory=list)
    recorded: list[int] = field(default_factory=list)
    unchanged: int = 0
    # The Russian side already holds a newer claim (staff, say): the list's
    # older word is not recorded, or it would be again on every refresh.
    superseded: list[int] = field(default_factory=list)
    # New to us but without a usable point: no crossing to put on the map.
    no_point: list[int] = field(default_factory=list)
    airports_changed: int = 0

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.recorded) + self.airports_changed

    def merge(self, other: ListRecordResult) -> None:
        """Add up another list's result (several saved copies loaded in turn)."""
        self.seen = other.seen
        self.land = other.land
        self.not_facing = other.not_facing
        self.created += other.created
        self.recorded += other.recorded
        self.unchanged += other.unchanged
        self.superseded += other.superseded
        self.no_point += other.no_point
        self.airports_changed += other.airports_changed


def text_key(text: str) -> str:
    """What a text says, for comparing two versions of it: one line, no space
    around punctuation, its first letter in lower case."""
    text = clean_text(text)
    text = re.sub(r"\s*([,.;:!?)\]])\s*", r"\1", text)
    text = re.sub(r"([(\[])\s*", r"\1", text)
    return text[:1].lower() + text[1:]


def _facts(checkpoint: Checkpoint) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "hours": short_hours(checkpoint.hours_text_ru),
        "hours_text_ru": checkpoint.hours_text_ru,
        "bilateral": not checkpoint.multilateral,
        "cargo_only": checkpoint.pattern == "cargo",
    }
    if checkpoint.latitude is not None and checkpoint.longitude is not None:
        facts["latitude"] = checkpoint.latitude
        facts["longitude"] = checkpoint.longitude
    return facts


def _is_news(
    crossing: BorderCrossing, status: str, facts: dict[str, Any], note: str
) -> bool:
    """Whether the list says anything the crossing's Russian side does not."""
    if crossing.ru_status != status or text_key(crossing.ru_note) != text_key(note):
        return True
    for key, value in facts.items():
        if key in _DERIVED_FACTS:
            continue
        current = getattr(crossing, SIDE_FACT_FIELDS[key])
        if key in _TEXT_FACTS:
            if text_key(current) != text_key(value):
                return True
        elif isinstance(value, float):
            if current is None or abs(current - value) > _POINT_TOLERANCE:
                return True
        elif current != value:
            return True
    return False


def _modes(checkpoint: Checkpoint) -> dict[str, bool]:
    if checkpoint.kind == "pedestrian":
        return {"allows_pedestrian": True}
    passengers = checkpoint.pattern != "cargo"
    return {
        "allows_car": passengers,
        "allows_bus": passengers,
        "allows_truck": checkpoint.pattern != "passenger",
    }


def _new_slug(checkpoint: Checkpoint, taken: set[str]) -> str:
    base = slug_for(checkpoint.name_ru) or f"checkpoint-{checkpoint.official_id}"
    candidates = [base, f"{base}-{slug_for(checkpoint.foreign_name_ru)}".strip("-")]
    slug = next((c for c in candidates if c not in taken), "")
    number = 2
    while not slug:
        slug = f"{base}-{number}" if f"{base}-{number}" not in taken else ""
        number += 1
    taken.add(slug)
    return slug


def _create(checkpoint: Checkpoint, source_url: str, taken: set[str]) -> BorderCrossing:
    """A crossing for a checkpoint first met on the list, with the list's
    reference data; staff may correct its English names later."""
    foreign = checkpoint.foreign_name_ru or checkpoint.name_ru
    details: dict[str, Any] = {
        "name_en": transliterate(checkpoint.name_ru),
        "name_ru": checkpoint.name_ru,
        "neighbour_name_en": transliterate(foreign),
        "neighbour_name_ru": foreign,
        "country": checkpoint.foreign_country,
        "region_en": checkpoint.region_en or transliterate(checkpoint.region_ru),
        "region_ru": checkpoint.region_ru,
        "latitude": checkpoint.latitude,
        "longitude": checkpoint.longitude,
        "kind": CrossingKind.PEDESTRIAN
        if checkpoint.kind == "pedestrian"
        else CrossingKind.ROAD,
        **_modes(checkpoint),
        "source": source_url,
        "official_id": checkpoint.official_id,
        "de_facto": checkpoint.de_facto,
        "coord_source": COORD_SOURCE,
    }
    return crossing_create(slug=_new_slug(checkpoint, taken), details=details)


def _air_posts(checkpoints: Iterable[Checkpoint]) -> list[BorderPost]:
    return [
        BorderPost(
            official_id=c.official_id,
            name_ru=c.name_ru,
            latitude=c.latitude,
            longitude=c.longitude,
            working=c.working,
        )
        for c in checkpoints
        if c.kind == "air"
    ]


@transaction.atomic
def checkpoints_record(
    checkpoints: Sequence[Checkpoint],
    *,
    source_url: str,
    observed_fallback: datetime | None = None,
) -> ListRecordResult:
    """Record what the official list says about the Russian side of each land
    crossing, and about the checkpoints at Russian airports.

    A checkpoint's claim is dated by its own `updated_at` (or
    `observed_fallback`, or now, when the list gives none). All or nothing:
    raises ValidationError from the write path, having written nothing.
    """
    result = ListRecordResult(seen=len(checkpoints))
    fallback = observed_fallback or timezone.now()
    land = [c for c in checkpoints if c.is_land]
    facing = [c for c in land if c.foreign_country]
    result.land, result.not_facing = len(facing), len(land) - len(facing)
    held = BorderCrossing.objects.in_bulk(
        [c.official_id for c in facing], field_name="official_id"
    )
    taken = set(BorderCrossing.objects.values_list("slug", flat=True))
    for checkpoint in facing:
        crossing = held.get(checkpoint.official_id)
        if crossing is None:
            if checkpoint.latitude is None or checkpoint.longitude is None:
                result.no_point.append(checkpoint.official_id)
                continue
            crossing = _create(checkpoint, source_url, taken)
            result.created.append(checkpoint.official_id)
        _record_side(crossing, checkpoint, source_url, fallback, result)
    result.airports_changed = airports_border_checkpoints_record(
        posts=_air_posts(checkpoints)
    )
    return result


def _record_side(
    crossing: BorderCrossing,
    checkpoint: Checkpoint,
    source_url: str,
    fallback: datetime,
    result: ListRecordResult,
) -> None:
    status = Status.OPEN if checkpoint.working else Status.CLOSED
    facts = _facts(checkpoint)
    note = checkpoint.note_ru[:MAX_UPDATE_NOTE_LENGTH]
    if not _is_news(crossing, status, facts, note):
        result.unchanged += 1
        return
    # The agency's clock may run ahead of ours; its word is not from the future.
    observed_at = min(checkpoint.updated_at or fallback, timezone.now())
    if crossing.ru_observed_at is not None and crossing.ru_observed_at > observed_at:
        result.superseded.append(checkpoint.official_id)
        return
    crossing_update_record(
        crossing=crossing,
        source_kind=SourceKind.OFFICIAL,
        status=status,
        side=Side.RUSSIAN,
        facts=facts,
        note=note,
        source_url=source_url,
        observed_at=observed_at,
        actor_label=ACTOR_LABEL,
    )
    if checkpoint.official_id not in result.created:
        result.recorded.append(checkpoint.official_id)
