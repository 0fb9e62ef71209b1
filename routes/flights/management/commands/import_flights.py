"""Import a volunteer spreadsheet of flights (CSV) through the write path.

    manage.py import_flights flights.csv [--source volunteers]
                                         [--timezone Europe/Moscow]

The header is documented in routes/sources/volunteer_csv.py. All or nothing: one
bad row and nothing is written; each bad row is listed with its line number.
Importing the same file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from routes.flights.models import ImportVia
from routes.flights.services import FlightRowsInvalid, flight_reports_import
from routes.flights.sources.volunteer_csv import SpreadsheetError, parse

MAX_LISTED_ERRORS = 20


class Command(BaseCommand):
    help = "Import flights with seats and prices from a volunteer CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path, help="the CSV file")
        parser.add_argument(
            "--source",
            default="volunteers",
            help="who the rows come from (default: volunteers); with source_ref "
            "it identifies each report",
        )
        parser.add_argument(
            "--timezone",
            default="Europe/Moscow",
            help="time zone of observed_at values written without an offset",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        try:
            zone = ZoneInfo(options["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"unknown time zone {options['timezone']!r}") from None
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        try:
            rows = parse(raw, zone=zone)
        except SpreadsheetError as exc:
            raise CommandError(f"{path}: {exc}") from None
        try:
            result = flight_reports_import(
                source=options["source"],
                rows=rows,
                via=ImportVia.COMMAND,
                actor_label=f"import_flights {path.name}",
            )
        except FlightRowsInvalid as exc:
            for index, errors in list(exc.rows.items())[:MAX_LISTED_ERRORS]:
                for field, messages in errors.items():
                    for message in messages:
                        self.stderr.write(
                            f"{path}:{rows.lines[index]}: {field}: {message}"
                        )
            raise CommandError(
                f"{path}: {len(exc.rows)} of {len(rows)} rows are invalid; "
                "nothing was imported"
            ) from None
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}") from None
        self.stdout.write(
            f"{path}: {len(rows)} rows: {result.created} new, {result.updated} "
            f"changed, {result.confirmed} confirmed, {result.unchanged} unchanged, "
            f"{result.older} older than what is stored"
        )
