"""Australian Government Smartraveller: the /destinations-export JSON array.

Each destination has a title (a name, no code), `field_overall_advice_level` in
Smartraveller's four standard phrases, update notes and a `changed` stamp such as
"Fri, 2026-02-20 16:46" in Canberra time. The export spells curly quotes and
apostrophes as the literal "&amp;**"; that is repaired to a plain apostrophe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from advisories.sources.countries import country_from_name
from advisories.sources.parsing import (
    LEVEL_TEXT_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    FeedFormatError,
    ParsedAdvisory,
    ParsedBatch,
    SkipLog,
    clean_text,
    clip_url,
    expect,
    load_json,
    text_as_html,
)

KEY = "au-smartraveller"
FEED_URL = "https://www.smartraveller.gov.au/destinations-export"
SITE = "https://www.smartraveller.gov.au/destinations"
CANBERRA = ZoneInfo("Australia/Sydney")
LEVELS = {
    "exercise normal safety precautions": 1,
    "exercise a high degree of caution": 2,
    "reconsider your need to travel": 3,
    "do not travel": 4,
}


def _repair(value: Any) -> str:
    return str(value or "").replace("&amp;**", "'")


def _changed(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%a, %Y-%m-%d %H:%M")
    except ValueError:
        return None
    return parsed.replace(tzinfo=CANBERRA)


def parse(raw: bytes) -> ParsedBatch:
    where = "Smartraveller destinations export"
    entries = expect(load_json(raw, where), list, where)
    if not entries:
        raise FeedFormatError(f"{where}: lists no destinations")
    skipped = SkipLog()
    advisories: list[ParsedAdvisory] = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict):
            skipped.add(f"entry {position}", f"is {type(entry).__name__}")
            continue
        name = clean_text(_repair(entry.get("title")), limit=TITLE_MAX)
        wording = clean_text(_repair(entry.get("field_overall_advice_level")))
        level = LEVELS.get(wording.lower())
        if level is None:
            skipped.add(name or f"entry {position}", f"advice level {wording!r}")
            continue
        country = country_from_name(name)
        if country is None:
            skipped.add(name, "no ISO code for this name")
            continue
        notes = _repair(entry.get("field_last_update_notes"))
        advisories.append(
            ParsedAdvisory(
                country=country,
                level=level,
                level_text=clean_text(wording, limit=LEVEL_TEXT_MAX),
                title=name,
                summary=clean_text(notes, limit=SUMMARY_MAX),
                body=text_as_html(_repair(entry.get("field_last_update"))),
                url=clip_url(str(entry.get("field_url") or ""), SITE),
                published_at=_changed(entry.get("changed")),
            )
        )
    if not advisories:
        raise FeedFormatError(
            f"{where}: no usable entries ({len(skipped.entries)} skipped)"
        )
    return ParsedBatch(advisories, skipped.entries)
