"""Load entry rules from a visa table (CSV), curated rules (JSON) or a folder."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routes.entry.seeding import EntryLoadError, entry_rules_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="path", required=True, type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = entry_rules_load(path)
        except EntryLoadError as exc:
            raise CommandError(f"nothing loaded: {exc}") from None
        self.stdout.write(
            f"entry rules: {result.recorded} recorded, {result.unchanged} unchanged"
        )
