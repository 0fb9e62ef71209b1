"""The answer as data, in one language: the API returns it and the page renders it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from exitwatch.lib.formatting import iso_z
from routes.entry.api import rule_data
from routes.entry.models import destination_names
from routes.waysout.reasons import Reason
from routes.waysout.selectors import Way, WaysOut


def _country_name(code: str, lang: str) -> str:
    name_en, name_ru = destination_names(code)
    return name_ru if lang == "ru" else name_en


def _status(crossing: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": crossing["status"],
        "observed_at": crossing["status_observed_at"],
        "stale": crossing["stale"],
        "sides": crossing["sides"],
    }


# A rule is immutable and shared by every answer about its destination: its
# data (with the destination's names in both languages) is built once.
_rule_data = lru_cache(maxsize=1024)(rule_data)


def reasons_data(reasons: list[Reason], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "text": r.say(lang),
            "blocks": r.blocks,
            "source_url": r.source_url,
        }
        for r in reasons
    ]


def way_data(way: Way, lang: str) -> dict[str, Any]:
    """One row: what it is, whether it is open to this traveller and why, and
    every figure with its source and age."""
    row: dict[str, Any] = {
        "kind": way.kind,
        "crossing": None,
        "flight": None,
        "destination_country": way.destination_country,
        "destination_country_name": _country_name(way.destination_country, lang),
        "open_to_you": way.open_to_you,
        "reasons": reasons_data(way.reasons, lang),
        "entry_rule": _rule_data(way.entry_rule) if way.entry_rule else None,
        "status": None,
        "wait": way.wait,
        "fare": way.fare,
        "advisories": way.advisories,
        "estimate": way.estimate.data(),
    }
    if way.crossing is not None:
        crossing = way.crossing
        row["crossing"] = {
            "slug": crossing["slug"],
            "name": crossing["name_ru"] if lang == "ru" else crossing["name_en"],
            "name_en": crossing["name_en"],
            "name_ru": crossing["name_ru"],
            "latitude": crossing["latitude"],
            "longitude": crossing["longitude"],
            "url": crossing["url"],
        }
        row["status"] = _status(crossing)
    else:
        row["flight"] = way.flight
        if way.fare is not None:
            row["fare"] = {
                **way.fare,
                "last_observed_at": iso_z(way.fare["last_observed_at"]),
            }
    return row


def ways_out_data(answer: WaysOut, lang: str) -> dict[str, Any]:
    place = answer.place
    return {
        "from": {
            "slug": place.slug,
            "name": place.name_ru if lang == "ru" else place.name_en,
            "latitude": place.latitude,
            "longitude": place.longitude,
        },
        "profile": answer.profile.as_params(),
        "at": iso_z(answer.moment) if answer.past else None,
        "generated_at": iso_z(answer.moment),
        "data_as_of": answer.data_as_of,
        "lang": lang,
        "open_count": sum(1 for way in answer.ways if way.open_to_you),
        "ways": [way_data(way, lang) for way in answer.ways],
    }
