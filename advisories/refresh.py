"""Refreshing an advisory source: fetch, then parse, then sync, then record health.

A refresh is a run of exitwatch.lib.sources: it holds a lock named for the source,
so two refreshes of one source never overlap, and its health (last attempt,
success, error, counts) is recorded on the AdvisorySource row. There is no HTTP
inside a transaction: the sync (advisories.services.advisories_sync) starts once
everything is fetched. A feed that fails to fetch or parse leaves the stored
advisories as they were; only the source's health line records the error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import requests
from django.core.exceptions import ValidationError

from advisories.models import Advisory, AdvisorySource
from advisories.services import SyncResult, advisories_sync
from advisories.sources.catalogue import Feed, UnknownParser, feed_for, read_folder
from advisories.sources.parsing import ChangedDocuments, FeedFormatError
from exitwatch.lib.fetching import FetchError, FetchResult, fetch
from exitwatch.lib.sources import RunOutcome, source_run


@dataclass
class RefreshOutcome(RunOutcome):
    """How one refresh of one source went; `transient` errors may be retried."""

    sync: SyncResult = field(default_factory=SyncResult)

    status_lines: ClassVar[Mapping[str, str]] = {
        **RunOutcome.status_lines,
        "busy": "skipped, another refresh of it is running",
    }

    def counts(self) -> str:
        sync = self.sync
        return (
            f"{sync.seen} advisories seen, {sync.created} new, "
            f"{sync.updated} changed, {sync.unchanged} unchanged, "
            f"{len(sync.skipped)} entries skipped"
        )


def _lock_key(source: AdvisorySource) -> str:
    # One lock per source, whether it is fetched or loaded from saved files.
    return f"advisory-source:{source.key}"


def advisory_source_refresh(*, source: AdvisorySource, run_id: str) -> RefreshOutcome:
    """Fetch, parse and store one source, unless a refresh of it is running.

    `run_id` owns the lock (a Celery task id, so a redelivered task may resume).
    Raises exitwatch.lib.jobs.JobStoreUnavailable if Redis does not answer.
    """
    outcome = source_run(
        row=source,
        lock_key=_lock_key(source),
        owner=run_id,
        step=lambda now: _refresh(source),
    )
    return outcome or RefreshOutcome(source.key, "busy")


def _failed(
    source: AdvisorySource, message: str, *, transient: bool = False
) -> RefreshOutcome:
    return RefreshOutcome(source.key, "failed", error=message, transient=transient)


def _refresh(source: AdvisorySource) -> RefreshOutcome:
    try:
        feed = feed_for(source.parser)
    except UnknownParser as exc:
        return _failed(source, str(exc))
    with requests.Session() as session:
        answer = fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            session=session,
        )
        if isinstance(answer, FetchError):
            return _failed(source, answer.message, transient=answer.transient)
        if answer.not_modified:
            return RefreshOutcome(
                source.key,
                "not_modified",
                items_seen=source.items_seen,
                items_changed=0,
            )
        try:
            read = _read(feed, source, answer.body, session)
        except FeedFormatError as exc:
            return _failed(source, str(exc))
    try:
        result = advisories_sync(
            source=source, items=read.batch, also_seen=read.unchanged
        )
    except ValidationError as exc:
        return _failed(source, f"invalid advisory: {'; '.join(exc.messages)}")
    if read.failures:
        # Keep what worked, report the rest, and forget the index's validators
        # so the next run asks for the index again and retries the failures.
        message = f"{len(read.failures)} country documents failed: " + "; ".join(
            read.failures[:10]
        )
        return RefreshOutcome(
            source.key,
            "ok",
            error=message,
            fields={"etag": "", "last_modified": ""},
            sync=result,
        )
    return RefreshOutcome(
        source.key,
        "ok",
        items_seen=result.seen,
        items_changed=result.changed,
        fields=_validators(answer),
        sync=result,
    )


def _read(
    feed: Feed, source: AdvisorySource, body: bytes, session: requests.Session
) -> ChangedDocuments:
    """The advice in the answer; for a feed that is an index, the advice of the
    documents it lists that changed (the others confirmed unchanged)."""
    if feed.follow_index is None:
        return ChangedDocuments(feed.module.parse(body))
    return feed.follow_index(
        body, index_url=source.url, published=_published(source), session=session
    )


def _published(source: AdvisorySource) -> Mapping[str, datetime | None]:
    """When each stored advisory of the source was published, by country code."""
    return dict(
        Advisory.objects.filter(source=source).values_list(
            "target_country", "published_at"
        )
    )


def _validators(answer: FetchResult) -> dict[str, object]:
    """The answer's ETag and Last-Modified, to ask next time whether it changed
    ("" when the server sent none: the next request is unconditional)."""
    return {"etag": answer.etag[:200], "last_modified": answer.last_modified[:100]}


def advisory_source_load_folder(
    *, source: AdvisorySource, directory: Path, run_id: str
) -> RefreshOutcome:
    """Store the advisories of `source` from saved responses instead of the network.

    A run of the source like a fetch (its lock, its health line): the stored
    advisories are as fresh as the files, so a load that worked is a success and
    one that did not is the source's last error.
    """
    outcome = source_run(
        row=source,
        lock_key=_lock_key(source),
        owner=run_id,
        step=lambda now: _load_folder(source, directory),
    )
    return outcome or RefreshOutcome(source.key, "busy")


def _load_folder(source: AdvisorySource, directory: Path) -> RefreshOutcome:
    try:
        batch = read_folder(directory, source.parser)
    except (UnknownParser, FeedFormatError) as exc:
        return _failed(source, str(exc))
    try:
        result = advisories_sync(source=source, items=batch)
    except ValidationError as exc:
        return _failed(source, f"invalid advisory: {'; '.join(exc.messages)}")
    return RefreshOutcome(
        source.key,
        "ok",
        items_seen=result.seen,
        items_changed=result.changed,
        # The feed's validators belong to its last answer, not to these files:
        # the next fetch asks for the whole feed again.
        fields={"etag": "", "last_modified": ""},
        sync=result,
    )
