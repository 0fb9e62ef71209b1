"""UK Foreign, Commonwealth & Development Office travel advice, via the GOV.UK
Content API: an index (/api/content/foreign-travel-advice) listing every country
with its public_updated_at, and one document per country carrying alert_status,
change_description and the advice in parts.

The FCDO has no numbered levels, only these warnings; the mapping to the common
1–4 scale is ours and the FCDO's own words are kept beside it:
  4  advises against all travel to the whole country
  3  advises against all but essential travel to the whole country
  2  advises against (all, or all but essential) travel to parts of the country
  1  no advice against travel
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import requests
from django.utils.dateparse import parse_datetime

from advisories.sources.countries import country_from_name
from advisories.sources.parsing import (
    LEVEL_TEXT_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    ChangedDocuments,
    FeedFormatError,
    ParsedAdvisory,
    ParsedBatch,
    SkipLog,
    clean_html,
    clean_text,
    clip_url,
    expect,
    load_json,
    merge,
)
from exitwatch.lib.fetching import FetchError, fetch

KEY = "uk-fcdo"
INDEX_URL = "https://www.gov.uk/api/content/foreign-travel-advice"
SITE = "https://www.gov.uk"
COUNTRY_DOCUMENT = "travel_advice"
INDEX_DOCUMENT = "travel_advice_index"

# Most severe first: the first one present sets the level.
ALERTS: dict[str, tuple[int, str]] = {
    "avoid_all_travel_to_whole_country": (
        4,
        "FCDO advises against all travel to the whole country",
    ),
    "avoid_all_but_essential_travel_to_whole_country": (
        3,
        "FCDO advises against all but essential travel to the whole country",
    ),
    "avoid_all_travel_to_parts": (
        2,
        "FCDO advises against all travel to parts of the country",
    ),
    "avoid_all_but_essential_travel_to_parts": (
        2,
        "FCDO advises against all but essential travel to parts of the country",
    ),
}
NO_ALERT = (1, "No FCDO advice against travel")


@dataclass(frozen=True)
class IndexEntry:
    """One country listed in the index, and when its advice last changed."""

    slug: str
    name: str
    api_path: str
    public_updated_at: datetime | None


def _datetime(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) and value else None


def document_url(index_url: str, entry: IndexEntry) -> str:
    """Where a country's document lives, on the same host as the index."""
    return urljoin(index_url, entry.api_path)


def document_type(raw: bytes) -> str:
    """'travel_advice' or 'travel_advice_index' (or whatever the document says)."""
    data = expect(load_json(raw, "GOV.UK content item"), dict, "GOV.UK content item")
    return str(data.get("document_type", ""))


def is_country_document(raw: bytes) -> bool:
    """A country's advice, not the index (a folder of saved responses has both:
    the live refresh fetches the country documents one by one)."""
    return document_type(raw) == COUNTRY_DOCUMENT


def _content_item(raw: bytes, where: str, document_type: str) -> dict[str, Any]:
    """The content item in `raw`, which must be of `document_type`."""
    data = expect(load_json(raw, where), dict, where)
    if data.get("document_type") != document_type:
        raise FeedFormatError(
            f"{where}: document_type is {data.get('document_type')!r}, "
            f"not {document_type!r}"
        )
    return data


def parse_index(raw: bytes) -> list[IndexEntry]:
    where = "GOV.UK travel advice index"
    data = _content_item(raw, where, INDEX_DOCUMENT)
    links = expect(data.get("links"), dict, f"{where} links")
    children = expect(links.get("children"), list, f"{where} links.children")
    if not children:
        raise FeedFormatError(f"{where}: lists no countries")
    entries = []
    for position, child in enumerate(children):
        child = expect(child, dict, f"{where} child {position}")
        details = expect(child.get("details", {}), dict, f"{where} child details")
        country = expect(details.get("country", {}), dict, f"{where} child country")
        slug = country.get("slug") or str(child.get("base_path", "")).rsplit("/")[-1]
        api_path = child.get("api_path") or f"/api/content/foreign-travel-advice/{slug}"
        if not isinstance(slug, str) or not slug or not isinstance(api_path, str):
            raise FeedFormatError(f"{where}: child {position} has no country slug")
        if child.get("withdrawn") is True:
            continue
        entries.append(
            IndexEntry(
                slug=slug,
                name=str(country.get("name") or slug.replace("-", " ")),
                api_path=api_path,
                public_updated_at=_datetime(child.get("public_updated_at")),
            )
        )
    return entries


def _level(alert_status: list[Any], where: str) -> tuple[int, str] | None:
    statuses = [expect(s, str, f"{where} alert_status") for s in alert_status]
    if not statuses:
        return NO_ALERT
    known = [ALERTS[s] for s in ALERTS if s in statuses]
    if not known:
        return None
    level = known[0][0]
    wording = "; ".join(text for _, text in known)
    return level, clean_text(wording, limit=LEVEL_TEXT_MAX)


def _body(parts: list[Any], where: str) -> str:
    sections = []
    for part in parts:
        part = expect(part, dict, f"{where} part")
        title = clean_text(str(part.get("title") or ""))
        body = part.get("body") or ""
        if not isinstance(body, str):
            raise FeedFormatError(f"{where}: part {title!r} body is not text")
        sections.append(f"<h2>{title}</h2>{body}" if title else body)
    return clean_html("".join(sections))


def parse(raw: bytes) -> ParsedBatch:
    """The advice for one country, from its content item (empty if withdrawn)."""
    where = "GOV.UK travel advice"
    data = _content_item(raw, where, COUNTRY_DOCUMENT)
    details = expect(data.get("details"), dict, f"{where} details")
    country_info = expect(details.get("country"), dict, f"{where} details.country")
    name = str(country_info.get("name") or country_info.get("slug") or "")
    where = f"GOV.UK travel advice for {name or '?'}"
    skipped = SkipLog()
    if data.get("withdrawn_notice"):
        skipped.add(name, "withdrawn")
        return ParsedBatch([], skipped.entries)
    country = country_from_name(name) or country_from_name(
        str(country_info.get("slug", "")).replace("-", " ")
    )
    if country is None:
        skipped.add(name, "no ISO code for this name")
        return ParsedBatch([], skipped.entries)
    level = _level(expect(details.get("alert_status", []), list, where), where)
    if level is None:
        skipped.add(name, f"unknown alert_status {details.get('alert_status')!r}")
        return ParsedBatch([], skipped.entries)
    change = details.get("change_description") or ""
    base_path = expect(data.get("base_path", ""), str, f"{where} base_path")
    advisory = ParsedAdvisory(
        country=country,
        level=level[0],
        level_text=level[1],
        title=clean_text(str(data.get("title") or name), limit=TITLE_MAX),
        summary=clean_text(
            expect(change, str, f"{where} change_description"), limit=SUMMARY_MAX
        ),
        body=_body(expect(details.get("parts", []), list, f"{where} parts"), where),
        url=clip_url(SITE + base_path, INDEX_URL),
        published_at=_datetime(data.get("public_updated_at")),
    )
    return ParsedBatch([advisory], skipped.entries)


def fetch_changed_documents(
    index: bytes,
    *,
    index_url: str,
    published: Mapping[str, datetime | None],
    session: requests.Session,
) -> ChangedDocuments:
    """Read the index, then fetch and parse only the country documents updated
    since the stored advice was published (`published`, by country code).

    FeedFormatError if the index itself is malformed; a country document that
    fails is reported in `failures` and leaves the others to be stored.
    """
    unchanged: set[str] = set()
    batches: list[ParsedBatch] = []
    failures: list[str] = []
    for entry in parse_index(index):
        country = country_from_name(entry.name)
        if (
            country
            and entry.public_updated_at
            and published.get(country) == entry.public_updated_at
        ):
            unchanged.add(country)
            continue
        answer = fetch(document_url(index_url, entry), session=session)
        if isinstance(answer, FetchError):
            failures.append(f"{entry.slug}: {answer.message}")
            continue
        try:
            batches.append(parse(answer.body))
        except FeedFormatError as exc:
            failures.append(f"{entry.slug}: {exc}")
    return ChangedDocuments(merge(batches), unchanged, failures)
