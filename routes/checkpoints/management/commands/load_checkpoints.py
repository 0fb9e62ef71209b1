"""Record saved copies of Rosgranstroy's checkpoint list, without the network.

    manage.py load_checkpoints --from routes/seed/rosgranstroy/     # *.json, by name
    manage.py load_checkpoints --from map_data-2026-06-08.json

The load counts as a run of the source (its health shows the success). Loading
the same copy again writes nothing. A file that is not the list stops the load
with one line naming it, before anything is written; the exit status is then
non-zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exitwatch.lib.jobs import JobStoreUnavailable, new_owner
from routes.checkpoints.refresh import official_list_load


class Command(BaseCommand):
    help = "Load saved copies of the official checkpoint list (a file or a folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="path",
            type=Path,
            required=True,
            metavar="PATH",
            help="a saved answer of the list, or a folder of them (*.json, by name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = official_list_load(
                path=options["path"], run_id=new_owner("load_checkpoints")
            )
        except JobStoreUnavailable as exc:
            raise CommandError(str(exc)) from None
        if outcome.status != "ok" or outcome.error:
            raise CommandError(outcome.summary().replace("\n", " "))
        self.stdout.write(outcome.summary())
