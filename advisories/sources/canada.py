"""Government of Canada travel advice: index-alpha-eng.json.

`data` maps a country key (ISO alpha-2, with a few of Canada's own such as
"PT-20" for the Azores or "IC" for the Canary Islands) to its advisory;
`advisory-state` 0–3 is Canada's four-step scale, stored as 1–4. The top-level
`metadata.generated` timestamp changes on every request, so nothing here reads it:
change detection works on each country's own content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django_countries import countries

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
)

KEY = "ca-travel"
FEED_URL = "https://data.international.gc.ca/travel-voyage/index-alpha-eng.json"
COUNTRY_PAGE = "https://travel.gc.ca/destinations/{slug}"
ADVICE_PAGE = "https://travel.gc.ca/travelling/advisories"
STATES = {0: 1, 1: 2, 2: 3, 3: 4}


def _published(entry: dict[str, Any]) -> datetime | None:
    published = entry.get("date-published")
    if not isinstance(published, dict):
        return None
    stamp = published.get("timestamp")
    if isinstance(stamp, int) and not isinstance(stamp, bool) and stamp > 0:
        return datetime.fromtimestamp(stamp, tz=UTC)
    return None


def parse(raw: bytes) -> ParsedBatch:
    where = "Canada travel advice index"
    document = expect(load_json(raw, where), dict, where)
    data = expect(document.get("data"), dict, f"{where} data")
    if not data:
        raise FeedFormatError(f"{where}: lists no countries")
    skipped = SkipLog()
    advisories: list[ParsedAdvisory] = []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            skipped.add(key, f"entry is {type(entry).__name__}, not an object")
            continue
        english = entry.get("eng")
        name = english.get("name") if isinstance(english, dict) else None
        what = f"{key} ({name})" if name else key
        if not isinstance(english, dict) or not isinstance(name, str):
            skipped.add(what, "no English name")
            continue
        state = entry.get("advisory-state")
        if not isinstance(state, int) or isinstance(state, bool) or state not in STATES:
            skipped.add(what, f"advisory-state {state!r} is not 0–3")
            continue
        code = key.upper()
        if len(code) != 2 or code not in countries:
            skipped.add(what, "not an ISO 3166 country code")
            continue
        slug = english.get("url-slug")
        url = COUNTRY_PAGE.format(slug=slug) if isinstance(slug, str) and slug else ""
        advisories.append(
            ParsedAdvisory(
                country=code,
                level=STATES[state],
                level_text=clean_text(
                    str(english.get("advisory-text") or ""), limit=LEVEL_TEXT_MAX
                ),
                title=clean_text(name, limit=TITLE_MAX),
                summary=clean_text(
                    str(english.get("recent-updates") or ""), limit=SUMMARY_MAX
                ),
                body="",
                url=clip_url(url, ADVICE_PAGE),
                published_at=_published(entry),
            )
        )
    if not advisories:
        raise FeedFormatError(
            f"{where}: no usable entries ({len(skipped.entries)} skipped)"
        )
    return ParsedBatch(advisories, skipped.entries)
