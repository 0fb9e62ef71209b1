"""Running the official checkpoint list as a source: fetch (or read saved
copies), then parse, then record, then record health.

A run is a run of exitwatch.lib.sources: it holds a lock named for the source,
so a worker's refresh and a `load_checkpoints` never overlap, and its health
is written on the OfficialListSource row. A load of saved copies counts as a
run of the source like a fetch does: what it records is the same list, read
from the agency at the time the copy was saved. There is no HTTP inside a
transaction: routes.checkpoints.services.checkpoints_record starts once the
answer is in and parsed. An answer or a file that does not parse writes
nothing on the crossings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from exitwatch.lib.fetching import FetchError, fetch
from exitwatch.lib.sources import RunOutcome, source_run
from routes.checkpoints.models import OfficialListSource
from routes.checkpoints.services import ListRecordResult, checkpoints_record
from routes.checkpoints.sources.rosgranstroy import (
    Checkpoint,
    OfficialListError,
    parse,
)

SOURCE_KEY = "rosgranstroy"
SOURCE_NAME = "Rosgranstroy: checkpoints of the Russian border"


@dataclass
class ListOutcome(RunOutcome):
    """How one run of the official list went."""

    result: ListRecordResult = field(default_factory=ListRecordResult)

    status_lines: ClassVar[Mapping[str, str]] = {
        **RunOutcome.status_lines,
        "off": "off (ROSGRANSTROY_ENABLED is off)",
    }

    def counts(self) -> str:
        r = self.result
        return (
            f"{r.seen} checkpoints, {r.land} land crossings abroad "
            f"({r.not_facing} towards occupied regions left out): "
            f"{len(r.created)} crossings added, {len(r.recorded)} Russian sides "
            f"changed, {r.unchanged} unchanged, {len(r.superseded)} older than "
            f"what is held, {r.airports_changed} airports changed"
        )


def official_list_source() -> OfficialListSource:
    """The list's health row, created on first use, its URL and switch kept in
    step with the settings."""
    url, enabled = settings.ROSGRANSTROY_URL, settings.ROSGRANSTROY_ENABLED
    row, _ = OfficialListSource.objects.get_or_create(
        key=SOURCE_KEY, defaults={"name": SOURCE_NAME, "url": url, "enabled": enabled}
    )
    if (row.url, row.enabled) != (url, enabled):
        OfficialListSource.objects.filter(pk=row.pk).update(url=url, enabled=enabled)
        row.url, row.enabled = url, enabled
    return row


def _lock_key(row: OfficialListSource) -> str:
    return f"official-list:{row.key}"


def official_list_refresh(*, run_id: str) -> ListOutcome:
    """Fetch the list and record it, unless it is off or a run of it is on.

    Raises exitwatch.lib.jobs.JobStoreUnavailable if the lock store does not answer.
    """
    row = official_list_source()
    if not row.enabled:
        return ListOutcome(row.key, "off")
    outcome = source_run(
        row=row, lock_key=_lock_key(row), owner=run_id, step=partial(_fetch, row)
    )
    return outcome or ListOutcome(row.key, "busy")


def _fetch(row: OfficialListSource, now: datetime) -> ListOutcome:
    answer = fetch(row.url, etag=row.etag, last_modified=row.last_modified)
    if isinstance(answer, FetchError):
        return ListOutcome(
            row.key, "failed", error=answer.message, transient=answer.transient
        )
    if answer.not_modified:
        return ListOutcome(
            row.key, "not_modified", items_seen=row.items_seen, items_changed=0
        )
    try:
        checkpoints = parse(answer.body)
    except OfficialListError as exc:
        return ListOutcome(row.key, "failed", error=f"{row.url}: {exc}")
    outcome = _record(row, [checkpoints], now)
    if outcome.status == "ok":
        outcome.fields = {
            "etag": answer.etag[:200],
            "last_modified": answer.last_modified[:100],
        }
    return outcome


def _record(
    row: OfficialListSource, lists: Sequence[list[Checkpoint]], now: datetime
) -> ListOutcome:
    total = ListRecordResult()
    try:
        with transaction.atomic():
            for checkpoints in lists:
                total.merge(
                    checkpoints_record(
                        checkpoints, source_url=row.url, observed_fallback=now
                    )
                )
    except ValidationError as exc:
        message = f"the write path refused the list: {'; '.join(exc.messages[:5])}"
        return ListOutcome(row.key, "failed", error=message)
    return ListOutcome(
        row.key,
        "ok",
        items_seen=total.seen,
        items_changed=total.changed,
        result=total,
    )


def list_files(path: Path) -> list[Path]:
    """The saved copies at `path`: the file itself, or a folder's *.json in
    name order (date-named copies load oldest first)."""
    if path.is_dir():
        return sorted(path.glob("*.json"))
    return [path]


def official_list_load(*, path: Path, run_id: str) -> ListOutcome:
    """Record saved copies of the list (a file, or a folder of them in name
    order) as a run of the source.

    Every file is read and parsed before anything is written: a bad one fails
    the load with its name, writing nothing (not even on the health row).
    Raises exitwatch.lib.jobs.JobStoreUnavailable if the lock store does not answer.
    """
    row = official_list_source()
    files = list_files(path)
    if not files:
        return ListOutcome(row.key, "failed", error=f"{path}: no *.json file")
    lists = []
    for file in files:
        try:
            lists.append(parse(file.read_bytes()))
        except (OSError, OfficialListError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) else exc
            return ListOutcome(row.key, "failed", error=f"{file}: {detail}")
    outcome = source_run(
        row=row,
        lock_key=_lock_key(row),
        owner=run_id,
        step=lambda now: _record(row, lists, now),
    )
    return outcome or ListOutcome(row.key, "busy")
