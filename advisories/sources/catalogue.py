"""Which module parses which feed (AdvisorySource.parser names them), the steps
only some feeds need, and how a folder of saved responses is read in place of the
network.

A folder of saved responses has one sub-folder per feed, named as in
shared/samples and tests/data (e.g. us-state-travel-advisories/*.xml). Files are
read in name order; when two describe one country the later one wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Protocol

import requests

from advisories.sources import australia, canada, uk_fcdo, us_state
from advisories.sources.parsing import (
    ChangedDocuments,
    FeedFormatError,
    ParsedBatch,
    merge,
)


class FollowIndex(Protocol):
    """Reads a feed's index and fetches the documents it lists that changed
    since the stored advice was `published` (by country code)."""

    def __call__(
        self,
        index: bytes,
        *,
        index_url: str,
        published: Mapping[str, datetime | None],
        session: requests.Session,
    ) -> ChangedDocuments: ...


@dataclass(frozen=True)
class Feed:
    """A parser module, where its saved responses live in a samples folder, and
    the feed's own steps where it has any.

    `follow_index`: the feed's URL answers with an index of further documents,
    and this follows it (uk_fcdo.fetch_changed_documents); None when the answer
    itself is the advice, for `module.parse`. `holds_advice`: which saved
    responses are advice (a saved index is not); None when every one is.
    """

    module: ModuleType
    folder: str
    pattern: str
    follow_index: FollowIndex | None = None
    holds_advice: Callable[[bytes], bool] | None = None


FEEDS: dict[str, Feed] = {
    "us_state": Feed(us_state, "us-state-travel-advisories", "*.xml"),
    "uk_fcdo": Feed(
        uk_fcdo,
        "uk-fcdo-govuk-content-api",
        "*.json",
        follow_index=uk_fcdo.fetch_changed_documents,
        holds_advice=uk_fcdo.is_country_document,
    ),
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
            if feed.holds_advice is not None and not feed.holds_advice(raw):
                continue
            batches.append(feed.module.parse(raw))
        except FeedFormatError as exc:
            raise FeedFormatError(f"{path.name}: {exc}") from None
    if not batches:
        raise FeedFormatError(f"no usable documents in {folder}")
    return merge(batches)
