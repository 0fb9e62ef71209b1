"""Volunteer spreadsheets of flights, saved as CSV.

The header row names the columns, in any order (UTF-8, with or without the BOM
Excel writes; comma- or semicolon-separated, as Russian Excel exports are):

    origin,destination,departure_date,airline,flight_number,availability,seats,price,currency,observed_at,source_ref,source_url

Required: origin, destination (IATA airport codes), departure_date (2026-03-01),
observed_at (when the volunteer saw it: 2026-03-01 14:30, in the time zone given
to the importer, Moscow by default, or with an offset: 2026-03-01T14:30+03:00)
and source_ref (the volunteer's own id for the row, so a corrected sheet
updates rows instead of duplicating them). availability is one of available,
few, sold_out, unknown (also "sold out", "нет мест", "мало мест", "есть места");
seats a whole number; price a number ("45 000,50" is read as 45000.50) with a
currency code such as RUB, USD, EUR.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime

from routes.flights.validation import FLIGHT_REQUIRED_FIELDS, FLIGHT_ROW_FIELDS

HEADER = ",".join(FLIGHT_ROW_FIELDS)
MAX_BYTES = 5 * 1024 * 1024
_AVAILABILITY = {
    "available": "available",
    "seats available": "available",
    "есть места": "available",
    "few": "few",
    "few seats": "few",
    "мало мест": "few",
    "sold out": "sold_out",
    "sold-out": "sold_out",
    "sold_out": "sold_out",
    "soldout": "sold_out",
    "нет мест": "sold_out",
    "распродано": "sold_out",
    "unknown": "unknown",
    "": "",
}


class SpreadsheetError(ValueError):
    """The file is not a readable spreadsheet in the documented layout."""


class SheetRows(list[dict[str, Any]]):
    """The rows of a sheet; `lines[i]` is the file line row i came from."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []


def _price(value: str) -> str:
    text = value.replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


def _observed_at(value: str, zone: ZoneInfo) -> Any:
    parsed = parse_datetime(value.strip().replace(" ", "T", 1))
    if parsed is None:
        return value  # the service names the problem
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


def parse(raw: bytes, *, zone: ZoneInfo | None = None) -> SheetRows:
    """Rows for flight_reports_import; SpreadsheetError if the file is unusable."""
    zone = zone or ZoneInfo("Europe/Moscow")
    if len(raw) > MAX_BYTES:
        raise SpreadsheetError(
            f"the file is larger than {MAX_BYTES // 1024 // 1024} MB"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(f"the file is not UTF-8 text ({exc})") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if not columns:
        raise SpreadsheetError("the file is empty; expected a header row: " + HEADER)
    unknown = [name for name in columns if name not in FLIGHT_ROW_FIELDS]
    missing = [name for name in FLIGHT_REQUIRED_FIELDS if name not in columns]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append("unknown columns " + ", ".join(unknown))
        if missing:
            problems.append("missing columns " + ", ".join(missing))
        raise SpreadsheetError("; ".join(problems) + "; expected: " + HEADER)
    reader.fieldnames = columns
    rows = SheetRows()
    try:
        for record in reader:
            if None in record:
                raise SpreadsheetError(
                    f"line {reader.line_num}: more cells than header columns"
                )
            values = {name: (value or "").strip() for name, value in record.items()}
            if not any(values.values()):
                continue  # blank lines between blocks of a sheet
            if "availability" in values:
                key = values["availability"].lower()
                values["availability"] = _AVAILABILITY.get(key, values["availability"])
            if values.get("price"):
                values["price"] = _price(values["price"])
            if values.get("observed_at"):
                values["observed_at"] = _observed_at(values["observed_at"], zone)
            rows.append(values)
            rows.lines.append(reader.line_num)
    except csv.Error as exc:
        raise SpreadsheetError(f"line {reader.line_num}: {exc}") from None
    if not rows:
        raise SpreadsheetError("the file has a header but no rows")
    return rows
