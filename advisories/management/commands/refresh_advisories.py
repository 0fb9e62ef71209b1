"""Refresh the official advisories now: from the feeds, or from saved responses.

    manage.py refresh_advisories                         # every enabled source, here
    manage.py refresh_advisories --source us-state       # one source
    manage.py refresh_advisories --from-dir ../shared/samples   # no network
    manage.py refresh_advisories --enqueue               # hand it to the workers

Runs in this process by default, so it works without Redis or a worker. Exits
non-zero, with one line per failed source, if any source failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisories.models import AdvisorySource
from advisories.refresh import advisory_source_load_folder, advisory_source_refresh
from advisories.tasks import refresh_advisory_source
from exitwatch.lib.jobs import JobStoreUnavailable, QueueUnavailable, enqueue, new_owner


class Command(BaseCommand):
    help = "Fetch the official travel advisories now (or load them from a folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            metavar="KEY",
            help="Only this source (repeatable). Default: every enabled source.",
        )
        parser.add_argument(
            "--from-dir",
            type=Path,
            help="Read saved responses from this folder instead of the network "
            "(layout of shared/samples: one sub-folder per feed).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one task per source for the Celery workers instead.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sources = self._sources(options["sources"])
        directory: Path | None = options["from_dir"]
        if directory is not None and not directory.is_dir():
            raise CommandError(f"--from-dir {directory}: no such folder")
        if options["enqueue"]:
            if directory is not None:
                raise CommandError("--enqueue and --from-dir cannot be combined")
            if not settings.REDIS_URL:
                raise CommandError(
                    "--enqueue needs REDIS_URL (a broker for the workers); "
                    "without one, leave --enqueue out to refresh here"
                )
            self._enqueue(sources)
            return
        run_id = new_owner("refresh_advisories")
        failed = []
        for source in sources:
            try:
                if directory is not None:
                    outcome = advisory_source_load_folder(
                        source=source, directory=directory, run_id=run_id
                    )
                else:
                    outcome = advisory_source_refresh(source=source, run_id=run_id)
            except JobStoreUnavailable as exc:
                raise CommandError(str(exc)) from None
            if outcome.status == "failed" or outcome.error:
                failed.append(outcome.summary())
            else:
                self.stdout.write(outcome.summary())
        if failed:
            for line in failed:
                self.stderr.write(line)
            raise CommandError(f"{len(failed)} of {len(sources)} sources failed")

    def _sources(self, keys: list[str] | None) -> list[AdvisorySource]:
        queryset = AdvisorySource.objects.order_by("key")
        if not keys:
            sources = list(queryset.filter(enabled=True))
            if not sources:
                raise CommandError("no enabled advisory sources (run migrate first?)")
            return sources
        sources = list(queryset.filter(key__in=keys))
        missing = sorted(set(keys) - {s.key for s in sources})
        if missing:
            known = ", ".join(queryset.values_list("key", flat=True)) or "none"
            raise CommandError(f"unknown source {', '.join(missing)} (known: {known})")
        return sources

    def _enqueue(self, sources: list[AdvisorySource]) -> None:
        for source in sources:
            try:
                task_id = enqueue(refresh_advisory_source, source.key)
            except QueueUnavailable as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{source.key}: queued as task {task_id}")
