"""US State Department travel advisories: the RSS feed TAsTWs.xml.

Each <item> carries three categories: Threat-Level ("Level 4: Do Not Travel"),
Country-Tag (a FIPS 10-4 code, see countries.py) and Keyword. Some items have no
Country-Tag (Hong Kong, Macau); their country is read from the title instead.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element  # nosec B405: a type; defusedxml parses

from advisories.sources.countries import country_from_fips, country_from_name
from advisories.sources.parsing import (
    LEVEL_TEXT_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    FeedFormatError,
    ParsedAdvisory,
    ParsedBatch,
    SkipLog,
    clean_html,
    clean_text,
    clip_url,
    load_xml,
)

log = logging.getLogger(__name__)

KEY = "us-state"
FEED_URL = "https://travel.state.gov/_res/rss/TAsTWs.xml"
ADVISORIES_PAGE = (
    "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories.html"
)
_LEVEL = re.compile(r"Level\s+([1-4])\s*:\s*(.+)", re.IGNORECASE)
_TITLE_COUNTRY = re.compile(r"^(.*?)(?:\s+Travel Advisory)?\s+-\s+Level\s+\d", re.I)


def _categories(item: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for category in item.findall("category"):
        domain = (category.get("domain") or "").strip()
        if domain and domain not in found:
            found[domain] = (category.text or "").strip()
    return found


def _published(value: str | None) -> datetime | None:
    """pubDate is RFC 822, usually without a time ("Thu, 08 May 2025")."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%a, %d %b %Y").replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse(raw: bytes) -> ParsedBatch:
    """Every advisory in one copy of the RSS feed."""
    root = load_xml(raw, "US State Department RSS")
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedFormatError(
            f"US State Department RSS: expected <rss><channel>, found <{root.tag}>"
        )
    items = channel.findall("item")
    if not items:
        raise FeedFormatError("US State Department RSS: the feed has no items")
    skipped = SkipLog()
    advisories: list[ParsedAdvisory] = []
    for position, item in enumerate(items, start=1):
        title = clean_text(item.findtext("title") or "", limit=TITLE_MAX)
        what = title or f"item {position}"
        categories = _categories(item)
        threat = categories.get("Threat-Level", "")
        level_match = _LEVEL.search(threat) or _LEVEL.search(title)
        if not level_match:
            skipped.add(what, "no Threat-Level")
            continue
        level_text = threat if _LEVEL.search(threat) else level_match.group(0)
        tag = categories.get("Country-Tag", "")
        title_match = _TITLE_COUNTRY.match(title)
        named = country_from_name(title_match.group(1)) if title_match else None
        country = country_from_fips(tag) if tag else None
        if country and named and country != named:
            # A tag that is not FIPS after all (the feed mixes schemes): the title
            # names the country in words, which cannot collide.
            log.warning(
                "%s: Country-Tag %s read as %s, title says %s",
                title,
                tag,
                country,
                named,
            )
            country = named
        country = country or named
        if country is None:
            reason = f"Country-Tag {tag!r} has no ISO code" if tag else "no Country-Tag"
            skipped.add(what, reason)
            continue
        description = item.findtext("description") or ""
        advisories.append(
            ParsedAdvisory(
                country=country,
                level=int(level_match.group(1)),
                level_text=clean_text(level_text, limit=LEVEL_TEXT_MAX),
                title=title,
                summary=clean_text(description, limit=SUMMARY_MAX),
                body=clean_html(description),
                url=clip_url(item.findtext("link") or "", ADVISORIES_PAGE),
                published_at=_published(item.findtext("pubDate")),
            )
        )
    return ParsedBatch(advisories, skipped.entries)
