"""Which module parses which feed (AdvisorySource.parser names them), and how a
folder of saved responses is read in place of the network.

A folder of saved responses has one sub-folder per feed, named as in
shared/samples and tests/data (e.g. us-state-travel-advisories/*.xml). Files are
read in name order; when two describe one country the later one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from advisories.sources import australia, canada, uk_fcdo, us_state
from advisories.sources.parsing import FeedFormatError, ParsedAdvisory, ParsedBatch


@dataclass(frozen=True)
class Feed:
    """A parser module and where its saved responses live in a samples folder."""

    module: ModuleType
    folder: str
    pattern: str


FEEDS: dict[str, Feed] = {
    "us_state": Feed(us_state, "us-state-travel-advisories", "*.xml"),
    "uk_fcdo": Feed(uk_fcdo, "uk-fcdo-govuk-content-api", "*.json"),
    "canada": Feed(canada, "ca-travel-voyage", "*.json"),
    "australia": Feed(australia, "au-smartraveller", "*.json"),
}


class UnknownParser(LookupError):
    pass


def feed_for(parser: str) -> Feed:
    try:
        return FEEDS[parser]
    except KeyError:
        raise UnknownParser(
            f"no parser named {parser!r}; known: {', '.join(sorted(FEEDS))}"
        ) from None


def read_folder(directory: Path, parser: str) -> ParsedBatch:
    """Parse the saved responses for one feed; FeedFormatError names the file."""
    feed = feed_for(parser)
    folder = directory / feed.folder
    files = sorted(folder.glob(feed.pattern)) if folder.is_dir() else []
    if not files:
        raise FeedFormatError(f"no {feed.pattern} files in {folder}")
    batches: list[ParsedBatch] = []
    for path in files:
        raw = path.read_bytes()
        try:
            if feed.module is uk_fcdo:
                # The folder holds the index too; the advice is in the country
                # documents, which the live refresh would fetch one by one.
                if uk_fcdo.document_type(raw) != uk_fcdo.COUNTRY_DOCUMENT:
                    continue
            batches.append(feed.module.parse(raw))
        except FeedFormatError as exc:
            raise FeedFormatError(f"{path.name}: {exc}") from None
    if not batches:
        raise FeedFormatError(f"no usable documents in {folder}")
    return merge(batches)


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
