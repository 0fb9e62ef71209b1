"""Load places (regional capitals, airport cities) from a JSON file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routes.places.seeding import PlaceLoadError, places_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="path", required=True, type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = places_load(path)
        except PlaceLoadError as exc:
            raise CommandError(f"nothing loaded: {exc}") from None
        self.stdout.write(
            f"places: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
