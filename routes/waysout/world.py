"""What every traveller's answer at one moment shares: the crossings as the map
document has them, who may cross each side, what each destination lets a
Russian citizen do, the destinations' advisories, the airports.

Built in a constant handful of queries (whatever the number of crossings) and
kept in this process per moment and map version for a minute at most, so under
crisis traffic an answer costs one query (its origin's flights) and arithmetic.
An entry or access rule recorded meanwhile shows within that minute.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from redis.exceptions import RedisError

from advisories.selectors import advisories_newest
from routes.access.selectors import SideAccess, access_at
from routes.entry.selectors import EffectiveRule, entry_rules_at
from routes.flights.models import Airport
from routes.mapdoc.lite import current_document
from routes.mapdoc.snapshot import snapshot_at
from routes.models import BorderCrossing
from routes.places.selectors import route_distances

# How long a process keeps a moment's shared facts; rules recorded meanwhile
# show after at most this long.
WORLD_SECONDS = 60.0
# Moments kept at once: "now" and a few past dates people compare.
WORLD_MOMENTS = 16


@dataclass(frozen=True)
class AirportInfo:
    """What a flight row needs of an airport."""

    id: int
    iata: str
    city_en: str
    city_ru: str
    country: str
    latitude: float
    longitude: float
    checkpoint_working: bool | None


@dataclass
class World:
    """The facts every answer at `moment` shares; treat it as read-only."""

    moment: datetime
    past: bool
    crossings: list[dict[str, Any]]
    crossing_ids: dict[str, int]
    access: dict[int, dict[str, SideAccess]]
    entry: dict[str, EffectiveRule]
    advisories: dict[str, list[dict[str, Any]]]
    airports: dict[str, AirportInfo]
    distances: dict[tuple[str, int], tuple[float, str]]
    data_as_of: str | None


class _Memo:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worlds: OrderedDict[tuple[str, str], tuple[float, World]] = OrderedDict()


_memo = _Memo()


def world_forget() -> None:
    """Drop this process's worlds (tests, and after a seeding in-process)."""
    with _memo.lock:
        _memo.worlds.clear()


def _features(document: dict[str, Any]) -> list[dict[str, Any]]:
    crossings = []
    for feature in document["crossings"]["features"]:
        props = dict(feature["properties"])
        props["longitude"], props["latitude"] = feature["geometry"]["coordinates"]
        crossings.append(props)
    return crossings


def _build(moment: datetime, past: bool, document: dict[str, Any]) -> World:
    crossing_ids = dict(BorderCrossing.objects.values_list("slug", "id"))
    advisories: dict[str, list[dict[str, Any]]] = {}
    for advisory in advisories_newest(at=moment if past else None):
        advisories.setdefault(advisory["target_country"], []).append(advisory)
    airports = {
        a.iata: AirportInfo(
            a.id,
            a.iata,
            a.city_en,
            a.city_ru,
            a.country.code,
            a.latitude,
            a.longitude,
            a.border_checkpoint_working,
        )
        for a in Airport.objects.all()
    }
    return World(
        moment=moment,
        past=past,
        crossings=_features(document),
        crossing_ids=crossing_ids,
        access=access_at(moment),
        entry=entry_rules_at(moment),
        advisories=advisories,
        airports=airports,
        distances=route_distances(),
        data_as_of=document.get("data_as_of"),
    )


def world_at(at: datetime | None = None) -> World:
    """The shared facts now (`at` None) or at a past UTC minute (from
    exitwatch.lib.moments.parse_moment)."""
    if at is None:
        etag, document = current_document()
        key = ("now", etag)
        moment = timezone.now().replace(second=0, microsecond=0)
    else:
        snapshot = snapshot_at(at)
        key = (at.isoformat(), snapshot.etag)
        document = None
        moment = at
    now = time.monotonic()
    with _memo.lock:
        held = _memo.worlds.get(key)
        if held is not None and now - held[0] < WORLD_SECONDS:
            _memo.worlds.move_to_end(key)
            return held[1]
    if document is None:
        document = json.loads(snapshot.identity_body)
    world = _build(moment, at is not None, document)
    with _memo.lock:
        _memo.worlds[key] = (now, world)
        while len(_memo.worlds) > WORLD_MOMENTS:
            _memo.worlds.popitem(last=False)
    return world
