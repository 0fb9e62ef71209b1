"""Writes for advisories and the health of their sources.

A refresh is fetch → parse → sync, in that order and with no HTTP inside a
transaction. The sync is idempotent: an advisory is keyed by (source, country)
and compared by a hash of its content, so fetching an unchanged feed twice stores
nothing new; a change writes the advisory and appends an AdvisoryRevision saying
what changed (new, level up, level down, text). Anything that changed bumps the
public map snapshot on commit. A feed that fails to fetch or parse leaves the
stored advisories as they were; only the source's health line records the error.
Two refreshes of one source never overlap: each holds a lock named for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from advisories.sources import uk_fcdo
from advisories.sources.catalogue import UnknownParser, feed_for, merge, read_folder
from advisories.sources.countries import country_from_name
from advisories.sources.parsing import FeedFormatError, ParsedAdvisory, ParsedBatch
from exitwatch.lib.fetching import FetchError, FetchResult, fetch
from exitwatch.lib.jobs import job_lock_ttl, single_run
from exitwatch.lib.snapshot import snapshot_mark_stale

log = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


@dataclass
class SyncResult:
    """What one batch did to the stored advisories of a source."""

    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


@dataclass
class RefreshOutcome:
    """How one refresh of one source went; `transient` errors may be retried."""

    source: str
    status: str  # "ok", "not_modified", "failed" or "busy"
    sync: SyncResult = field(default_factory=SyncResult)
    error: str = ""
    transient: bool = False

    def summary(self) -> str:
        if self.status == "failed":
            return f"{self.source}: failed: {self.error}"
        if self.status == "busy":
            return f"{self.source}: skipped, another refresh of it is running"
        if self.status == "not_modified":
            return f"{self.source}: not modified since the last fetch"
        sync = self.sync
        line = (
            f"{self.source}: {sync.seen} advisories seen, {sync.created} new, "
            f"{sync.updated} changed, {sync.unchanged} unchanged, "
            f"{len(sync.skipped)} entries skipped"
        )
        return f"{line}; partly failed: {self.error}" if self.error else line


def content_hash(item: ParsedAdvisory) -> str:
    """A hash of everything a reader sees; the fetch time is not part of it."""
    payload = [
        item.level,
        item.level_text,
        item.title,
        item.summary,
        item.body,
        item.url,
        item.published_at.isoformat() if item.published_at else None,
    ]
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _change_kind(current: Advisory | None, item: ParsedAdvisory) -> str:
    if current is None:
        return AdvisoryRevision.Change.NEW
    if item.level > current.level:
        return AdvisoryRevision.Change.LEVEL_UP
    if item.level < current.level:
        return AdvisoryRevision.Change.LEVEL_DOWN
    return AdvisoryRevision.Change.CONTENT


_CONTENT_FIELDS = (
    "level",
    "level_text",
    "title",
    "summary",
    "body",
    "url",
    "published_at",
)


def _prepare(
    *,
    source: AdvisorySource,
    item: ParsedAdvisory,
    now: datetime,
    current: Advisory | None,
) -> tuple[Advisory, AdvisoryRevision] | None:
    """The advisory with `item` applied and the revision recording it, unsaved;
    None when the stored content is already the same."""
    digest = content_hash(item)
    if current is not None and current.content_hash == digest:
        return None
    change = _change_kind(current, item)
    advisory = current or Advisory(source=source, target_country=item.country)
    for name in _CONTENT_FIELDS:
        setattr(advisory, name, getattr(item, name))
    advisory.content_hash = digest
    advisory.fetched_at = now
    advisory.changed_at = now
    # Field checks only: the unique and check constraints are the database's job,
    # and checking them here would cost a query per advisory.
    advisory.clean_fields(exclude=["source"])
    revision = AdvisoryRevision(
        advisory=advisory,
        change=change,
        content_hash=digest,
        recorded_at=now,
        **{name: getattr(item, name) for name in _CONTENT_FIELDS if name != "url"},
    )
    return advisory, revision


def advisory_upsert(
    *,
    source: AdvisorySource,
    item: ParsedAdvisory,
    now: datetime,
    current: Advisory | None,
) -> str | None:
    """Store one parsed advisory; return the kind of change, None if unchanged.

    `current` is the stored advisory for (source, item.country), locked by the
    caller, or None when there is none yet.
    """
    prepared = _prepare(source=source, item=item, now=now, current=current)
    if prepared is None:
        return None
    advisory, revision = prepared
    advisory.save()
    revision.advisory = advisory
    revision.save()
    return revision.change


@transaction.atomic
def advisories_sync(
    *,
    source: AdvisorySource,
    items: Sequence[ParsedAdvisory],
    now: datetime | None = None,
    also_seen: Iterable[str] = (),
) -> SyncResult:
    """Bring the stored advisories of `source` in line with one parsed batch.

    All or nothing, in a few queries whatever the size of the batch. Countries
    in `also_seen` were confirmed unchanged without being parsed (the UK index
    said so); they count as seen. Advisories missing from the batch are left
    alone: an issuer dropping a country from one response is no reason to forget
    its last advice.
    """
    now = now or timezone.now()
    result = SyncResult(skipped=list(getattr(items, "skipped", [])))
    by_country: dict[str, ParsedAdvisory] = {}
    for item in items:
        by_country[item.country] = item  # a repeated country: the later one wins
    stored = {
        advisory.target_country.code: advisory
        for advisory in Advisory.objects.select_for_update().filter(source=source)
    }
    untouched = set(also_seen)
    created: list[Advisory] = []
    updated: list[Advisory] = []
    revisions: list[AdvisoryRevision] = []
    for country, item in by_country.items():
        current = stored.get(country)
        prepared = _prepare(source=source, item=item, now=now, current=current)
        if prepared is None:
            untouched.add(country)
            continue
        (created if current is None else updated).append(prepared[0])
        revisions.append(prepared[1])
    Advisory.objects.bulk_create(created)
    Advisory.objects.bulk_update(
        updated, [*_CONTENT_FIELDS, "content_hash", "fetched_at", "changed_at"]
    )
    AdvisoryRevision.objects.bulk_create(revisions)
    result.created, result.updated = len(created), len(updated)
    result.unchanged = len(untouched)
    result.seen = result.changed + result.unchanged
    if untouched:
        # One query: the advice is confirmed current as of now, nothing else moved.
        Advisory.objects.filter(source=source, target_country__in=untouched).update(
            fetched_at=now
        )
    if result.changed:
        snapshot_mark_stale()
    return result


def source_record_success(
    *,
    source: AdvisorySource,
    seen: int,
    changed: int,
    etag: str | None = None,
    last_modified: str | None = None,
    now: datetime | None = None,
) -> None:
    """The source answered and its content is stored (or was not modified)."""
    now = now or timezone.now()
    values: dict[str, object] = {
        "last_attempt_at": now,
        "last_success_at": now,
        "items_seen": seen,
        "items_changed": changed,
    }
    if etag is not None:
        values["etag"] = etag[:200]
    if last_modified is not None:
        values["last_modified"] = last_modified[:100]
    # update(), not save(): a staff member may be editing the row meanwhile.
    AdvisorySource.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)


def source_record_failure(
    *, source: AdvisorySource, message: str, now: datetime | None = None
) -> None:
    """The fetch or the parse failed; the stored advisories stay as they were."""
    now = now or timezone.now()
    values = {
        "last_attempt_at": now,
        "last_error_at": now,
        "last_error": message[:MAX_ERROR_LENGTH],
    }
    AdvisorySource.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)


def _fail(source: AdvisorySource, message: str, *, transient: bool) -> RefreshOutcome:
    log.warning("advisory source %s failed: %s", source.key, message)
    source_record_failure(source=source, message=message)
    return RefreshOutcome(source.key, "failed", error=message, transient=transient)


def _uk_documents(
    source: AdvisorySource, index: FetchResult, session: requests.Session
) -> tuple[ParsedBatch, set[str], list[str]]:
    """Fetch the country documents the index says changed since they were stored.

    Returns the parsed batch, the countries confirmed unchanged, and one message
    per country document that could not be fetched or parsed.
    """
    entries = uk_fcdo.parse_index(index.body)
    stored = dict(
        Advisory.objects.filter(source=source).values_list(
            "target_country", "published_at"
        )
    )
    unchanged: set[str] = set()
    batches: list[ParsedBatch] = []
    failures: list[str] = []
    for entry in entries:
        country = country_from_name(entry.name)
        if (
            country
            and entry.public_updated_at
            and stored.get(country) == entry.public_updated_at
        ):
            unchanged.add(country)
            continue
        answer = fetch(uk_fcdo.document_url(source.url, entry), session=session)
        if isinstance(answer, FetchError):
            failures.append(f"{entry.slug}: {answer.message}")
            continue
        try:
            batches.append(uk_fcdo.parse(answer.body))
        except FeedFormatError as exc:
            failures.append(f"{entry.slug}: {exc}")
    return merge(batches), unchanged, failures


def _refresh(source: AdvisorySource) -> RefreshOutcome:
    try:
        feed = feed_for(source.parser)
    except UnknownParser as exc:
        return _fail(source, str(exc), transient=False)
    with requests.Session() as session:
        answer = fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            session=session,
        )
        if isinstance(answer, FetchError):
            return _fail(source, answer.message, transient=answer.transient)
        if answer.not_modified:
            source_record_success(source=source, seen=source.items_seen, changed=0)
            return RefreshOutcome(source.key, "not_modified")
        failures: list[str] = []
        unchanged: set[str] = set()
        try:
            if feed.module is uk_fcdo:
                batch, unchanged, failures = _uk_documents(source, answer, session)
            else:
                batch = feed.module.parse(answer.body)
        except FeedFormatError as exc:
            return _fail(source, str(exc), transient=False)
    try:
        result = advisories_sync(source=source, items=batch, also_seen=unchanged)
    except ValidationError as exc:
        return _fail(
            source, f"invalid advisory: {'; '.join(exc.messages)}", transient=False
        )
    if failures:
        # Keep what worked, report the rest, and forget the index's validators
        # so the next run asks for the index again and retries the failures.
        message = f"{len(failures)} country documents failed: " + "; ".join(
            failures[:10]
        )
        source_record_failure(source=source, message=message)
        AdvisorySource.objects.filter(pk=source.pk).update(etag="", last_modified="")
        return RefreshOutcome(source.key, "ok", sync=result, error=message)
    source_record_success(
        source=source,
        seen=result.seen,
        changed=result.changed,
        etag=answer.etag,
        last_modified=answer.last_modified,
    )
    return RefreshOutcome(source.key, "ok", sync=result)


def _source_lock(source: AdvisorySource, run_id: str) -> AbstractContextManager[bool]:
    # One lock per source, whether it is fetched or loaded from saved files.
    return single_run(f"advisory-source:{source.key}", owner=run_id, ttl=job_lock_ttl())


def advisory_source_refresh(*, source: AdvisorySource, run_id: str) -> RefreshOutcome:
    """Fetch, parse and store one source, unless a refresh of it is running.

    `run_id` owns the lock (a Celery task id, so a redelivered task may resume).
    Raises exitwatch.lib.jobs.JobStoreUnavailable if Redis does not answer.
    """
    with _source_lock(source, run_id) as acquired:
        if not acquired:
            return RefreshOutcome(source.key, "busy")
        try:
            return _refresh(source)
        except Exception as exc:
            # A bug or a time limit: say so on the source, then fail loudly.
            source_record_failure(source=source, message=f"unexpected error: {exc!r}")
            raise


def advisory_source_load_folder(
    *, source: AdvisorySource, directory: Path, run_id: str
) -> RefreshOutcome:
    """Store the advisories of `source` from saved responses instead of the network.

    The source's health line is not touched: nothing was fetched from its feed.
    """
    with _source_lock(source, run_id) as acquired:
        if not acquired:
            return RefreshOutcome(source.key, "busy")
        try:
            batch = read_folder(directory, source.parser)
        except FeedFormatError as exc:
            return RefreshOutcome(source.key, "failed", error=str(exc))
        try:
            result = advisories_sync(source=source, items=batch)
        except ValidationError as exc:
            return RefreshOutcome(
                source.key, "failed", error=f"invalid advisory: {exc.messages}"
            )
        return RefreshOutcome(source.key, "ok", sync=result)
