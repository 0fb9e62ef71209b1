"""How every external source runs: advisory feeds, flight price providers, and
whatever comes next. A source is a row of some concrete SourceHealth model plus a
`step` that does its own work; this module runs the step the same way for all.

One run goes through these steps:

1. **lock**: source_run takes a lock named for the source (exitwatch.lib.jobs).
   If another run holds it, the step is not called, nothing is written and
   source_run returns None: the caller says "busy".
2. **attempt**: `last_attempt_at` is stamped on the row before the step starts,
   so a run that never finishes (a killed worker) still counts as an attempt.
3. **fetch, parse, record**: the step. It fetches (exitwatch.lib.fetching: errors
   come back as values, never raised), parses with pure functions over the bytes,
   stores through its app's services, and returns a RunOutcome saying how it went.
4. **health**: source_record writes the outcome on the row; apart from the
   attempt stamp, nothing else writes the health columns. No error:
   `last_success_at` and the counts. An error: `last_error_at` and `last_error`
   (cut to MAX_ERROR_LENGTH); a partly failed run (status "ok" with an error)
   stored what it could and is recorded as an error all the same. An exception
   from the step is recorded as "unexpected error: ..." and raised again.
5. **retry**: an outcome is `transient` when asking again later may help (the
   network, a 5xx, a 429). The source's task raises its own named exception for
   it and retries only that one, with TRANSIENT_RETRY's backoff and jitter.
6. **give up**: a SourceTask that passes its soft time limit, or whose worker
   died too often, records why on the row through source_record (give_up,
   on_gave_up) and stops.

What this guarantees, for every source alike:
- one run at a time per source, whether started by a worker, a management
  command or the admin;
- a failing source keeps its last good data and says its age: a step stores
  only what it fetched and parsed, and an error never clears `last_success_at`;
- errors are recorded as values on the row, where staff and the API see them;
- every run is counted with its outcome and duration (exitwatch.lib.metrics).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from django.utils import timezone

from exitwatch.lib.jobs import DeliveryCappedTask, job_lock_ttl, new_owner, single_run
from exitwatch.lib.metrics import source_run_observe
from exitwatch.lib.source_health import SourceHealth

log = logging.getLogger(__name__)

# Longer messages are cut: the row shows the start of what went wrong.
MAX_ERROR_LENGTH = 2000


@dataclass
class RunOutcome:
    """How one run of one source went. A source subclasses it to add its report
    (its counts, its words for summary()); source_run writes `error`,
    `items_seen`, `items_changed` and `fields` on the row."""

    source: str
    status: str = "ok"  # "ok", "not_modified" or "failed"; "busy" etc. by callers
    # Non-empty: recorded as the last error, even when status is "ok" (partly failed).
    error: str = ""
    # Asking again later may help: the task retries.
    transient: bool = False
    # Written on the row when not None; None keeps the stored counts.
    items_seen: int | None = None
    items_changed: int | None = None
    # The source's own columns, written with its health (an ETag, say).
    fields: dict[str, object] = field(default_factory=dict)

    # What summary() says for a status with nothing to count; a subclass adds its
    # own statuses (or its own words) here.
    status_lines: ClassVar[Mapping[str, str]] = {
        "busy": "skipped, another run of it is in progress",
        "not_modified": "not modified since the last fetch",
    }

    def summary(self) -> str:
        """One line for a person (a management command, the admin)."""
        if self.status == "failed":
            return f"{self.source}: failed: {self.error}"
        if self.status in self.status_lines:
            return f"{self.source}: {self.status_lines[self.status]}"
        line = f"{self.source}: {self.counts()}"
        return f"{line}; partly failed: {self.error}" if self.error else line

    def counts(self) -> str:
        """What the run saw and changed, in the source's own terms."""
        return f"{self.items_seen or 0} seen, {self.items_changed or 0} changed"


R = TypeVar("R", bound=RunOutcome)


def _write(row: SourceHealth, values: Mapping[str, object]) -> None:
    # update(), not save(): a staff member may be editing the row meanwhile, and
    # only these columns are the run's to write.
    type(row)._default_manager.filter(pk=row.pk).update(**values)
    for name, value in values.items():
        setattr(row, name, value)


def source_record(
    row: SourceHealth,
    *,
    now: datetime,
    error: str = "",
    items_seen: int | None = None,
    items_changed: int | None = None,
    fields: Mapping[str, object] | None = None,
) -> None:
    """Write how a run of the source went on its health row.

    No error is a success (`last_success_at`); an error sets `last_error_at` and
    `last_error`, and leaves `last_success_at` as it was. Counts given are written,
    and so are the source's own `fields`.
    """
    values: dict[str, object] = dict(fields or {})
    if error:
        values.update(last_error_at=now, last_error=error[:MAX_ERROR_LENGTH])
    else:
        values["last_success_at"] = now
    if items_seen is not None:
        values["items_seen"] = items_seen
    if items_changed is not None:
        values["items_changed"] = items_changed
    _write(row, values)


def source_run(
    *,
    row: SourceHealth,
    lock_key: str,
    owner: str,
    step: Callable[[datetime], R],
    now: datetime | None = None,
) -> R | None:
    """Run one source's `step` with its lock held, and record how it went.

    `lock_key` names the source's lock (one per source); `owner` owns it (a
    Celery task id, so a redelivered task may take its dead run's lock over).
    `step` gets the run's time, `now` or the time the lock was taken. Returns the
    step's outcome, or None when another run holds the lock (nothing was done).
    Raises exitwatch.lib.jobs.JobStoreUnavailable if the lock store does not
    answer, and whatever the step raises, after recording it.
    """
    started = time.monotonic()
    with single_run(lock_key, owner=owner, ttl=job_lock_ttl()) as acquired:
        if not acquired:
            log.info("%s: skipped, another run holds its lock", lock_key)
            source_run_observe(row, outcome="busy", seconds=0.0)
            return None
        now = now or timezone.now()
        _write(row, {"last_attempt_at": now})
        try:
            outcome = step(now)
        except Exception as exc:
            # A bug or a time limit: say so on the source, then fail loudly.
            source_record(row, now=now, error=f"unexpected error: {exc!r}")
            seconds = time.monotonic() - started
            source_run_observe(row, outcome="error", seconds=seconds)
            raise
        # A failure is never recorded as a success, even one without a message.
        error = outcome.error or ("failed" if outcome.status == "failed" else "")
        if error:
            log.warning("%s failed: %s", lock_key, error)
        source_record(
            row,
            now=now,
            error=error,
            items_seen=outcome.items_seen,
            items_changed=outcome.items_changed,
            fields=outcome.fields,
        )
        source_run_observe(
            row,
            outcome="failure" if error else "success",
            seconds=time.monotonic() - started,
        )
        return outcome


class SourceTask(DeliveryCappedTask):
    """Base of a Celery task that runs one source, named by its one argument
    (the row's `key`). It records on the row when the run is abandoned: past its
    soft time limit (the task calls give_up) or after its worker died too often.
    """

    abstract = True
    source_model: type[SourceHealth]

    def run_owner(self) -> str:
        """Who owns the source's lock: this task's id, so a redelivery of it
        (same id) may take over the lock its killed worker left behind."""
        return self.request.id or new_owner("eager")

    def soft_limit(self) -> int:
        return int(self.soft_time_limit or self.app.conf.task_soft_time_limit)

    def give_up(self, key: str, message: str = "") -> str:
        """Record on the source `key` why this run stopped; returns the message
        (by default: the soft time limit passed)."""
        message = message or (
            f"gave up: the refresh took longer than {self.soft_limit()} s"
        )
        row = self.source_model._default_manager.filter(key=key).first()
        if row is not None:
            source_record(row, now=timezone.now(), error=message)
        return message

    def on_gave_up(self, message: str, args: tuple, kwargs: dict[str, Any]) -> None:
        key = args[0] if args else next(iter(kwargs.values()), None)
        if key is not None:
            self.give_up(key, message)
