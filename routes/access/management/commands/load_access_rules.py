"""Load access rules: curated rules (JSON) and the official list's baseline."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routes.access.seeding import AccessLoadError, access_rules_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="path", required=True, type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = access_rules_load(path)
        except AccessLoadError as exc:
            raise CommandError(f"nothing loaded: {exc}") from None
        self.stdout.write(
            f"access rules: {result.recorded} recorded, {result.unchanged} unchanged"
        )
