"""What every advisory parser returns, and the careful decoding they share.

A parser turns the bytes of one feed document into ParsedAdvisory records with the
level normalised to 1–4, the issuer's own wording kept beside it, text stripped to
plain text and HTML sanitised with nh3. Malformed input raises FeedFormatError with
a message fit for the source's health line; nothing is stored from such a feed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError  # nosec B405: types; defusedxml parses

import nh3
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring

# Enough for advisory prose; no images (tracking pixels, and costly on slow links).
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "i",
    "li",
    "ol",
    "p",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
TITLE_MAX = 300
LEVEL_TEXT_MAX = 200
URL_MAX = 500
SUMMARY_MAX = 600
_WHITESPACE = re.compile(r"\s+")


class FeedFormatError(ValueError):
    """The document is not what this feed publishes; nothing may be stored."""


@dataclass(frozen=True)
class ParsedAdvisory:
    """One issuer's advice about one destination, as read from its feed."""

    country: str
    level: int
    level_text: str
    title: str
    summary: str
    body: str
    url: str
    published_at: datetime | None


class ParsedBatch(list[ParsedAdvisory]):
    """The records of one document, plus the entries left out and why."""

    def __init__(
        self, items: Iterable[ParsedAdvisory] = (), skipped: Iterable[str] = ()
    ) -> None:
        super().__init__(items)
        self.skipped: list[str] = list(skipped)


@dataclass
class ChangedDocuments:
    """What a feed that is an index of documents led to: the advice of the
    documents fetched, the countries the index confirmed unchanged, and one
    message per document that could not be fetched or parsed."""

    batch: ParsedBatch
    unchanged: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


@dataclass
class SkipLog:
    """Collects entries a parser leaves out, with the reason for each."""

    entries: list[str] = field(default_factory=list)

    def add(self, what: str, why: str) -> None:
        self.entries.append(f"{what}: {why}")


def clean_html(value: str) -> str:
    """Sanitised HTML: allowed tags only, links made safe."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def clean_text(value: str, *, limit: int | None = None) -> str:
    """Plain text: tags dropped, entities decoded, whitespace collapsed."""
    text = html.unescape(nh3.clean(value, tags=set()))
    text = _WHITESPACE.sub(" ", text).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def text_as_html(value: str) -> str:
    """Plain text from a feed as safe HTML paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", value) if p.strip()]
    return "".join(f"<p>{html.escape(clean_text(p))}</p>" for p in paragraphs)


def clip_url(url: str, fallback: str) -> str:
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")) or len(url) > URL_MAX:
        return fallback
    return url


def load_json(raw: bytes, what: str) -> Any:
    if not raw or not raw.strip():
        raise FeedFormatError(f"{what}: empty document")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedFormatError(f"{what}: not valid JSON ({exc})") from None


def load_xml(raw: bytes, what: str) -> Element:
    if not raw or not raw.strip():
        raise FeedFormatError(f"{what}: empty document")
    try:
        return xml_fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedFormatError(f"{what}: refused unsafe XML ({exc})") from None
    except ParseError as exc:
        raise FeedFormatError(f"{what}: not well-formed XML ({exc})") from None


def expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    """`value` if it has the expected JSON type, else a FeedFormatError."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = (
            kind.__name__
            if isinstance(kind, type)
            else "/".join(k.__name__ for k in kind)
        )
        raise FeedFormatError(
            f"{where}: expected {names}, found {type(value).__name__}"
        )
    return value


def merge(batches: list[ParsedBatch]) -> ParsedBatch:
    """One batch with one record per country: the most recently published wins,
    and on a tie (or no dates) the later batch."""
    chosen: dict[str, ParsedAdvisory] = {}
    skipped: list[str] = []
    for batch in batches:
        skipped.extend(batch.skipped)
        for advisory in batch:
            held = chosen.get(advisory.country)
            if held is None or _recency(advisory) >= _recency(held):
                chosen[advisory.country] = advisory
    return ParsedBatch(list(chosen.values()), skipped)


def _recency(advisory: ParsedAdvisory) -> float:
    return advisory.published_at.timestamp() if advisory.published_at else 0.0
