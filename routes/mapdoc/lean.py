"""The lean map document: what the map page needs to draw, in one language.

Russian providers cut connections to big Western hosts after about 16 KB, so the
document the map page loads must fit in that (docs/map-snapshot.md, "The lean
document"). It is cut from the full document (routes.mapdoc.selectors), never
built from the database on its own, so the two always say the same. What only a
popup shows (restrictions, notes, the sides' sources, hours, what a wait rests
on) is each crossing's detail, served apart from the same build.
"""

from __future__ import annotations

from typing import Any

from routes.mapdoc.words import word

# One row per crossing, in this order: the document carries the list as
# `crossings.fields`, so a reader needs no other key.
CROSSING_FIELDS = (
    "slug",
    "lat",
    "lon",
    "name",
    "neighbour_name",
    "other_names",
    "region",
    "country",
    "kind",
    "modes",
    "status",
    "sides",
    "waits",
    "queue_length",
    "last_observed_at",
    "status_observed_at",
    "stale_after_minutes",
    "last_source_kind",
    "cargo_only",
    "bilateral",
    "de_facto",
)
# About a metre: plenty for a marker, and a third of the digits of a float.
POINT_DECIMALS = 5
# About ten metres: a route is a line drawn across a country.
PATH_DECIMALS = 4
# The map's flights panel lists this many (static/js/map.js renderFlights) and
# links the flights page for the rest. A week of volunteer sheets can name a
# hundred origin-destination pairs or more, ~27 bytes gzipped each: the whole
# list would push the document past the filter's 16 KB on its own.
FLIGHTS_SHOWN = 12


def _crossing_row(
    feature: dict[str, Any], lang: str, other: str
) -> tuple[list[Any], tuple[str, str]]:
    props = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    # Search finds a crossing by its names in either language ("Ларс" on the
    # English page): the other language's names ride along for that alone.
    other_names = " ".join(
        name
        for name in (word(props, "name", other), word(props, "neighbour_name", other))
        if name
    )
    values = {
        "slug": props["slug"],
        "lat": round(lat, POINT_DECIMALS),
        "lon": round(lon, POINT_DECIMALS),
        "name": word(props, "name", lang),
        "neighbour_name": word(props, "neighbour_name", lang),
        "other_names": other_names,
        "region": word(props, "region", lang),
        "country": props["country"],
        "kind": props["kind"],
        "modes": props["modes"],
        "status": props["status"],
        "sides": {
            key: {"status": side["status"], "observed_at": side["observed_at"]}
            for key, side in props["sides"].items()
        },
        "waits": {
            mode: minutes
            for mode, minutes in props["waits"].items()
            if minutes is not None
        },
        "queue_length": props["queue_length"],
        "last_observed_at": props["last_observed_at"],
        "status_observed_at": props["status_observed_at"],
        "stale_after_minutes": props["stale_after_minutes"],
        "last_source_kind": props["last_source_kind"],
        "cargo_only": props["cargo_only"],
        "bilateral": props["bilateral"],
        "de_facto": props["de_facto"],
    }
    country = (
        word(props, "country_name", lang),
        word(props, "country_name", other),
    )
    return [values[field] for field in CROSSING_FIELDS], country


def _route(feature: dict[str, Any], lang: str) -> dict[str, Any]:
    props = feature["properties"]
    return {
        "slug": props["slug"],
        "name": word(props, "name", lang),
        "crossing": props["crossing"],
        "distance_km": props["distance_km"],
        "path": [
            [round(lon, PATH_DECIMALS), round(lat, PATH_DECIMALS)]
            for lon, lat in feature["geometry"]["coordinates"]
        ],
    }


def _flights_shown(flights: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The flights the map's panel shows, in its order: those with seats first,
    sold-out ones last, then by origin and destination."""

    def order(flight: dict[str, Any]) -> tuple[bool, bool, str, str]:
        return (
            not flight["any_seats"],
            flight["sold_out"],
            word(flight, "origin_city", lang).casefold(),
            word(flight, "destination_city", lang).casefold(),
        )

    return sorted(flights, key=order)[:FLIGHTS_SHOWN]


def lean_document(document: dict[str, Any], lang: str) -> dict[str, Any]:
    """The lean shape of a full map document, with names in `lang` ("en" or
    "ru"). No stale flag: the reader judges freshness against its own clock
    from `last_observed_at` and `stale_after_minutes`, so a copy kept for days
    never looks current."""
    other = "en" if lang == "ru" else "ru"
    countries: dict[str, list[str]] = {}
    rows = []
    for feature in document["crossings"]["features"]:
        row, names = _crossing_row(feature, lang, other)
        rows.append(row)
        countries.setdefault(feature["properties"]["country"], list(names))
    return {
        "shape": "lean",
        "lang": lang,
        "version": document["version"],
        "generated_at": document["generated_at"],
        "at": document["at"],
        "data_as_of": document["data_as_of"],
        "countries": countries,
        "crossings": {"fields": list(CROSSING_FIELDS), "rows": rows},
        "routes": [_route(f, lang) for f in document["routes"]["features"]],
        "advisories": document["advisories"],
        "flights": _flights_shown(document["flights"], lang),
        "flights_count": len(document["flights"]),
    }
