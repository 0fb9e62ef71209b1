"""`manage.py seed`: load the shipped crossings, airports, exit routes and places."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routes.mapdoc.seeding import seed_load
from routes.seeding import SEED_DIR, SeedError


class Command(BaseCommand):
    help = "Load the reference data in routes/seed/ (idempotent: safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=SEED_DIR, help="seed folder")

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = seed_load(directory=options["dir"])
        except SeedError as exc:
            raise CommandError(f"seed failed, nothing written: {exc}") from None
        for kind in ("crossings", "airports", "routes", "places"):
            self.stdout.write(
                f"{kind}: {result.created.get(kind, 0)} created, "
                f"{result.updated.get(kind, 0)} updated, "
                f"{result.unchanged.get(kind, 0)} unchanged"
            )
        self.stdout.write(f"sourced statuses recorded: {result.statuses_recorded}")
