"""Writes for advisories: storing a parsed batch of one source.

The sync is idempotent: an advisory is keyed by (source, country) and compared by
a hash of its content, so fetching an unchanged feed twice stores nothing new; a
change writes the advisory and appends an AdvisoryRevision saying what changed
(new, level up, level down, text). Anything that changed bumps the public map
snapshot on commit. Fetching the feeds and recording their health is
advisories.refresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from advisories.sources.parsing import ParsedAdvisory
from exitwatch.lib.snapshot import snapshot_mark_stale
from outbox.services import outbox_enqueue_many

# What makes the event of a changed level (alerts.tasks).
REVISION_EVENT_TASK = "alerts.tasks.event_from_advisory_revision"


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


def _announce(revisions: Sequence[AdvisoryRevision]) -> None:
    """Partners' webhooks hear of a changed level (alerts, by task name: this
    app does not know it), recorded with the revisions, sent after commit. Not
    of new advisories or text edits: a source's first fetch brings hundreds."""
    changed = [
        {"revision_id": r.pk}
        for r in revisions
        if r.change
        in (AdvisoryRevision.Change.LEVEL_UP, AdvisoryRevision.Change.LEVEL_DOWN)
    ]
    if changed:
        outbox_enqueue_many(task=REVISION_EVENT_TASK, kwargs_list=changed)


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
    _announce([revision])
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
    _announce(revisions)
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
