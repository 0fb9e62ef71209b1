"""What every traveller's answer at one moment shares: the crossings as they
stood (their current state, or their history read at a past moment, as the map
reads them), who may cross each side, what each destination lets a
Russian citizen do, the destinations' advisories, the airports.

Built in a constant handful of queries (whatever the number of crossings) and
kept in this process per moment and map version for a minute at most, so under
crisis traffic an answer costs one query (its origin's flights) and arithmetic.
An entry or access rule recorded meanwhile shows within that minute.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from redis.exceptions import RedisError

from advisories.selectors import advisories_newest
from exitwatch.lib.formatting import iso_z
from exitwatch.lib.snapshot import snapshot_version
from routes.access.selectors import SideAccess, access_at
from routes.entry.selectors import EffectiveRule, entry_rules_at
from routes.flights.models import Airport
from routes.models import BorderCrossing
from routes.places.selectors import route_distances
from routes.selectors import crossing_feature, crossings_at

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
    # Reads made for one answer that the next may share (an origin's flights:
    # a flight import bumps the version, hence the world).
    shared: dict[Any, Any] = field(default_factory=dict)


class _Memo:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worlds: OrderedDict[tuple[str, str], tuple[float, World]] = OrderedDict()


_memo = _Memo()


def world_forget() -> None:
    """Drop this process's worlds (tests, and after a seeding in-process)."""
    with _memo.lock:
        _memo.worlds.clear()


def _crossings(moment: datetime, past: bool) -> list[BorderCrossing]:
    ordered = BorderCrossing.objects.order_by("country", "name_en")
    return crossings_at(moment, ordered) if past else list(ordered)


def _features(
    crossings: list[BorderCrossing], moment: datetime
) -> list[dict[str, Any]]:
    """Each crossing as the map document shows it (one shape for both)."""
    features = []
    for crossing in crossings:
        feature = crossing_feature(crossing, moment)
        props = feature["properties"]
        props["longitude"], props["latitude"] = feature["geometry"]["coordinates"]
        features.append(props)
    return features


def _build(moment: datetime, past: bool) -> World:
    crossings = _crossings(moment, past)
    crossing_ids = {c.slug: c.pk for c in crossings}
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
        crossings=_features(crossings, moment),
        crossing_ids=crossing_ids,
        access=access_at(moment),
        entry=entry_rules_at(moment),
        advisories=advisories,
        airports=airports,
        distances=route_distances(),
        # The newest confirmed figure, as the map's "data as of".
        data_as_of=iso_z(
            max(
                (c.last_observed_at for c in crossings if c.last_observed_at),
                default=None,
            )
        ),
    )


def world_at(at: datetime | None = None) -> World:
    """The shared facts now (`at` None) or at a past UTC minute (from
    exitwatch.lib.moments.parse_moment). A write that bumps the map's version
    (a crossing's state, flights) shows at once; rules within the minute."""
    now = timezone.now()
    moment = at or now.replace(second=0, microsecond=0)
    try:
        version = snapshot_version()
    except (RedisError, OSError):
        # With the cache down, a moment's facts are kept for the minute alone.
        version = "uncached"
    key = (moment.isoformat(), version)
    started = time.monotonic()
    with _memo.lock:
        held = _memo.worlds.get(key)
        if held is not None and started - held[0] < WORLD_SECONDS:
            _memo.worlds.move_to_end(key)
            return held[1]
    world = _build(moment, at is not None)
    with _memo.lock:
        _memo.worlds[key] = (started, world)
        while len(_memo.worlds) > WORLD_MOMENTS:
            _memo.worlds.popitem(last=False)
    return world
