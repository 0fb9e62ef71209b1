"""Reading places: all of them from memory, and the sourced road distances from
a place to a crossing.

Places change only when the seed is loaded, and every estimate and listing
reads them, so each process keeps them in memory. A version in the shared cache
(bumped on commit by routes.places.services.place_upsert) tells every process
when its copy is old: a cache read per call, a query only after a change.
"""

from __future__ import annotations

import threading
import uuid

from django.core.cache import cache

from routes.models import ExitRoute
from routes.places.drive import share_to_point
from routes.places.models import Place

VERSION_KEY = "places:version"

_lock = threading.Lock()
# (version, places in order, places by slug), replaced whole, never mutated.
_loaded: tuple[str, tuple[Place, ...], dict[str, Place]] | None = None


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First reader after a flush: one version for every process.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "unshared"
    return version


def places_cache_bump(*, local_only: bool = False) -> None:
    """Forget the places read so far: in this process, and unless `local_only`
    in every process (a new shared version)."""
    global _loaded
    with _lock:
        _loaded = None
    if not local_only:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _places() -> tuple[tuple[Place, ...], dict[str, Place]]:
    global _loaded
    version = _version()
    loaded = _loaded
    if loaded is not None and loaded[0] == version:
        return loaded[1], loaded[2]
    places = tuple(Place.objects.order_by("name_en", "slug"))
    with _lock:
        _loaded = (version, places, {p.slug: p for p in places})
        return _loaded[1], _loaded[2]


def places_all() -> list[Place]:
    """Every place by English name. The rows are shared by the process's
    callers: read them, never change them."""
    return list(_places()[0])


def place_by_slug(slug: str) -> Place | None:
    return _places()[1].get(slug)


def _key(name: str) -> str:
    return name.strip().casefold()


def route_distances() -> dict[tuple[str, int], tuple[float, str]]:
    """(place slug, crossing id) → (km, source URL) for every exit route whose
    origin is a place (by its English or Russian name) and whose distance is
    sourced.

    A route's `distance_km` is its whole length, origin to destination (Moscow
    → Upper Lars → Tbilisi), not to the crossing. The km here is the share of
    it before the crossing, measured along the route's drawn line (which passes
    through the crossing): the sourced figure, cut where the border is. With
    several routes between one place and crossing, the shortest. One query
    (and the places' own when this process has none in memory)."""
    by_name: dict[str, str] = {}
    for place in places_all():
        by_name[_key(place.name_en)] = place.slug
        by_name[_key(place.name_ru)] = place.slug
    found: dict[tuple[str, int], tuple[float, str]] = {}
    routes = (
        ExitRoute.objects.exclude(distance_km=None)
        .select_related("crossing")
        .only(
            "origin_en",
            "origin_ru",
            "distance_km",
            "path",
            "source",
            "crossing",
            "crossing__latitude",
            "crossing__longitude",
        )
        .order_by("id")
    )
    for route in routes:
        slug = by_name.get(_key(route.origin_en)) or by_name.get(_key(route.origin_ru))
        share = share_to_point(
            route.path or [],
            latitude=route.crossing.latitude,
            longitude=route.crossing.longitude,
        )
        if slug is None or not share:
            continue
        km = float(round(route.distance_km * share))
        key = (slug, route.crossing_id)
        if key not in found or km < found[key][0]:
            found[key] = (km, route.source)
    return found
