"""Rosgranstroy's checkpoint map (https://rosgranstroy.ru/api/map_data): a pure
parser of its JSON into Checkpoint values, and the short form of its hours.

The answer is `{"data": {"federal_districts": {"<id>": [region, ...]}, ...}}`;
each region holds its `checkpoints`. A copy saved with a `meta` block on top
of `data` (the shared samples) reads the same. Text comes as `{"ru": ...}`
objects, sometimes with a `zh-CN` key, sometimes as null, sometimes without
"ru": all of these read as the Russian text or "".

The list speaks for the Russian side only: `condition` says whether the Russian
checkpoint works, not whether the neighbour lets anyone in.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

URL = "https://rosgranstroy.ru/api/map_data"

KINDS = {
    1: "road",
    2: "rail",
    3: "air",
    4: "sea",
    5: "mixed",
    6: "river",
    7: "lake",
    8: "pedestrian",
}
# Checkpoints a person crosses on land, by car, bus or on foot.
LAND_KINDS = frozenset({"road", "mixed", "pedestrian"})
PATTERNS = {1: "cargo", 2: "passenger", 3: "cargo-passenger"}
MULTILATERAL, BILATERAL = 1, 2

# The feed's own codes for the two territories Russia recognises as states:
# no ISO code exists, so each is Georgia's border, held de facto by them.
DE_FACTO_CODES = {"OS": ("GE", "south-ossetia"), "AB": ("GE", "abkhazia")}


class OfficialListError(ValueError):
    """The document is not Rosgranstroy's checkpoint list; nothing may be stored."""


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint on the official list, as the list states it."""

    official_id: int
    kind: str
    pattern: str
    multilateral: bool
    working: bool
    name_ru: str
    foreign_country: str | None
    de_facto: str
    foreign_name_ru: str
    region_ru: str
    region_en: str
    latitude: float | None
    longitude: float | None
    hours_text_ru: str
    note_ru: str
    updated_at: datetime | None

    @property
    def is_land(self) -> bool:
        return self.kind in LAND_KINDS


def parse(body: bytes) -> list[Checkpoint]:
    """Every checkpoint in the answer, in the feed's order.

    Raises OfficialListError, naming what is wrong (and the checkpoint's id),
    for anything that is not the list: never a partial result.
    """
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OfficialListError(f"not JSON: {exc}") from None
    districts = _get(_get(document, "data", dict, "the document"), "federal_districts")
    if not isinstance(districts, dict):
        raise OfficialListError("data.federal_districts is not an object")
    checkpoints: list[Checkpoint] = []
    seen: set[int] = set()
    for district, regions in districts.items():
        if not isinstance(regions, list):
            raise OfficialListError(f"federal district {district} is not a list")
        for region in regions:
            for checkpoint in _region_checkpoints(region, district):
                if checkpoint.official_id in seen:
                    raise OfficialListError(
                        f"checkpoint {checkpoint.official_id} is listed twice"
                    )
                seen.add(checkpoint.official_id)
                checkpoints.append(checkpoint)
    if not checkpoints:
        raise OfficialListError("the list holds no checkpoint")
    return checkpoints


def _get(obj: Any, key: str, kind: type = object, where: str = "") -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise OfficialListError(f"{where or 'the document'} has no {key!r}")
    value = obj[key]
    if not isinstance(value, kind):
        raise OfficialListError(f"{where}: {key!r} is not a {kind.__name__}")
    return value


def _region_checkpoints(region: Any, district: str) -> list[Checkpoint]:
    where = f"a region of federal district {district}"
    title = _get(region, "title", dict, where)
    names = (clean_text(title.get("ru")), clean_text(title.get("en")))
    items = _get(region, "checkpoints", list, f"region {names[0] or '?'}")
    return [_checkpoint(item, *names) for item in items]


def _checkpoint(item: Any, region_ru: str, region_en: str) -> Checkpoint:
    official_id = _get(item, "id", int, "a checkpoint")
    where = f"checkpoint {official_id}"
    kind = KINDS.get(_get(item, "checkpoint_type_id", int, where))
    pattern = PATTERNS.get(_get(item, "checkpoint_pattern_id", int, where))
    status = _get(item, "status_id", int, where)
    if kind is None or pattern is None or status not in (MULTILATERAL, BILATERAL):
        raise OfficialListError(f"{where}: unknown type, pattern or status")
    country, de_facto = _country(item.get("foreign_country"), where)
    name = clean_text(_ru(item.get("title"), where))
    if not name:
        raise OfficialListError(f"{where}: no Russian name")
    return Checkpoint(
        official_id=official_id,
        kind=kind,
        pattern=pattern,
        multilateral=status == MULTILATERAL,
        working=_get(item, "condition", bool, where),
        name_ru=name,
        foreign_country=country,
        de_facto=de_facto,
        foreign_name_ru=clean_text(_ru(item.get("foreign_checkpoint"), where)),
        region_ru=region_ru,
        region_en=region_en,
        **_point(item, where),
        hours_text_ru=clean_text(_ru(item.get("working_time"), where)),
        note_ru=clean_text(_ru(item.get("note"), where)),
        updated_at=_moment(item.get("updated_at"), where),
    )


def _ru(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, dict):
        raise OfficialListError(f"{where}: a text is not a {{'ru': ...}} object")
    text = value.get("ru")
    if text is not None and not isinstance(text, str):
        raise OfficialListError(f"{where}: a Russian text is not a string")
    return text or ""


def _country(value: Any, where: str) -> tuple[str | None, str]:
    if value is None:
        return None, ""
    code = value.get("iso_code") if isinstance(value, dict) else None
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
        raise OfficialListError(f"{where}: foreign country without an ISO code")
    return DE_FACTO_CODES.get(code, (code, ""))


# Where the list puts a checkpoint it has no point for (Mariupol, Berdyansk,
# Izhevsk airport...): a spot in the Orenburg steppe, not a place to draw.
PLACEHOLDER_POINT = (55.0, 55.0)


def _point(item: dict[str, Any], where: str) -> dict[str, float | None]:
    latitude = _coordinate(item.get("latitude"), where)
    longitude = _coordinate(item.get("longitude"), where)
    if (
        latitude is None
        or longitude is None
        or (latitude, longitude) == (PLACEHOLDER_POINT)
    ):
        return {"latitude": None, "longitude": None}
    # Chukotka lies across the 180th meridian; the list counts on past it.
    if 180 < longitude <= 360:
        longitude -= 360
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise OfficialListError(f"{where}: point {latitude}, {longitude} is off Earth")
    return {"latitude": latitude, "longitude": longitude}


def _coordinate(value: Any, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise OfficialListError(f"{where}: coordinate {value!r} is no number") from None


def _moment(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise OfficialListError(f"{where}: updated_at {value!r} is no time") from None
    if moment.tzinfo is None:
        raise OfficialListError(f"{where}: updated_at {value!r} has no time zone")
    return moment


_TAG = re.compile(r"<[^>]*>")


def clean_text(text: str | None) -> str:
    """The text on one line and plain: the site's editor leaves HTML in some
    notes (`<p><strong>...`), so tags go and entities are read; runs of
    whitespace (newlines, no-break spaces) become one space, none at the ends."""
    return " ".join(html.unescape(_TAG.sub(" ", text or "")).split())


_ROUND_THE_CLOCK = re.compile(r"круглосуточно\.?", re.IGNORECASE)
_DAILY_SPAN = re.compile(
    r"(?:ежедневно,?\s*)?с\s*(\d{1,2})[.:](\d{2})\s*до\s*(\d{1,2})[.:](\d{2})\.?",
    re.IGNORECASE,
)


def short_hours(text: str) -> str:
    """The hours in a few characters, when the text says nothing more than them:
    "Круглосуточно" → "24 h", "С 09.00 до 21.00" → "09:00–21:00"; "" for
    anything else (the full text is kept beside it)."""
    text = clean_text(text)
    if _ROUND_THE_CLOCK.fullmatch(text):
        return "24 h"
    span = _DAILY_SPAN.fullmatch(text)
    if span is None:
        return ""
    start_h, start_m, end_h, end_m = (int(part) for part in span.groups())
    if start_h > 24 or end_h > 24 or start_m > 59 or end_m > 59:
        return ""
    return f"{start_h:02d}:{start_m:02d}–{end_h:02d}:{end_m:02d}"
