"""Cleaning one batch of flight rows: each row's values checked, typed and
normalised, or every row's field errors at once. Nothing here writes; the writes
are in routes.flights.services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from exitwatch.lib.observed import (
    EARLIEST_OBSERVATION,
    UNREADABLE_TIME_MESSAGE,
    observed_at_problem,
)
from routes.flights.models import (
    CURRENCY_CODES,
    FLIGHT_DETAIL_FIELDS,
    Airport,
    Availability,
    FlightReport,
)

# The fields a row may hold: what providers, spreadsheets and the API send.
FLIGHT_ROW_FIELDS = (
    "origin",
    "destination",
    *FLIGHT_DETAIL_FIELDS,
    "observed_at",
    "source_ref",
    "source_url",
)
FLIGHT_REQUIRED_FIELDS = (
    "origin",
    "destination",
    "departure_date",
    "observed_at",
    "source_ref",
)
MAX_SEATS = 1000
MAX_DEPARTURE_AHEAD = timedelta(days=400)
_PRICE_LIMIT = Decimal("9999999999.99")
_CENT = Decimal("0.01")
_TEXT_LIMITS = (("airline", 80), ("flight_number", 12), ("source_ref", 200))


class FlightRowsInvalid(ValidationError):
    """Rows of a batch failed validation; nothing was written.

    `rows` maps the 0-based index of each bad row to {field: [messages]}, so an
    API can answer with per-row field errors and a command can name lines.
    """

    def __init__(self, rows: dict[int, dict[str, list[str]]]) -> None:
        self.rows = rows
        super().__init__(
            {
                f"rows[{index}]": [
                    f"{name}: {message}"
                    for name, messages in errors.items()
                    for message in messages
                ]
                for index, errors in rows.items()
            }
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: Any) -> str:
    """The value as stripped text; "" for None or blanks."""
    return "" if _blank(value) else str(value).strip()


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError("a datetime is not a date")
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value).strip())
    if parsed is None:
        raise ValueError("not a date")
    return parsed


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value).strip())
    if parsed is None:
        raise ValueError("not a datetime")
    return parsed


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not whole")
        return int(value)
    return int(str(value).strip())


def _as_price(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    price = Decimal(str(value).strip())
    if not price.is_finite():
        raise InvalidOperation
    return price


def _clean_airports(
    row: Mapping[str, Any], airports: Mapping[str, Airport], fail: Any
) -> dict[str, Airport]:
    found: dict[str, Airport] = {}
    for name in ("origin", "destination"):
        code = clean_text(row.get(name)).upper()
        if not code:
            continue
        if code in airports:
            found[name] = airports[code]
        else:
            fail(
                name,
                _("Unknown airport %(code)r (use its IATA code).") % {"code": code},
            )
    if len(found) == 2 and found["origin"] == found["destination"]:
        fail("destination", _("Origin and destination must differ."))
    return found


def _clean_times(row: Mapping[str, Any], now: datetime, fail: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if not _blank(row.get("observed_at")):
        try:
            observed_at = _as_datetime(row["observed_at"])
        except ValueError:
            fail("observed_at", str(UNREADABLE_TIME_MESSAGE))
        else:
            problem = observed_at_problem(observed_at, now=now)
            if problem:
                fail("observed_at", problem)
            else:
                found["observed_at"] = min(observed_at, now)
    if not _blank(row.get("departure_date")):
        try:
            departure = _as_date(row["departure_date"])
        except ValueError:
            fail("departure_date", _("Enter a date, e.g. 2026-03-01."))
        else:
            observed_day = timezone.localdate(found.get("observed_at", now))
            if departure < EARLIEST_OBSERVATION.date():
                fail(
                    "departure_date",
                    _("Departure date is before %(year)d; check the year.")
                    % {"year": EARLIEST_OBSERVATION.year},
                )
            elif departure < observed_day - timedelta(days=1):
                fail("departure_date", _("The flight left before it was observed."))
            elif departure > observed_day + MAX_DEPARTURE_AHEAD:
                fail("departure_date", _("Departure is more than a year ahead."))
            found["departure_date"] = departure
    return found


def _clean_offer(row: Mapping[str, Any], fail: Any) -> dict[str, Any]:
    """Availability, seats, price and currency, which constrain one another."""
    availability = clean_text(row.get("availability")) or Availability.UNKNOWN
    if availability not in Availability.values:
        fail(
            "availability",
            _("Unknown availability %(value)r; use one of: %(choices)s.")
            % {"value": availability, "choices": ", ".join(Availability.values)},
        )
    found: dict[str, Any] = {"availability": availability, "seats": None}
    if not _blank(row.get("seats")):
        try:
            seats = _as_int(row["seats"])
        except (TypeError, ValueError):
            fail("seats", _("Seats must be a whole number."))
        else:
            if not 0 <= seats <= MAX_SEATS:
                fail(
                    "seats",
                    _("Seats must be between 0 and %(max)d.") % {"max": MAX_SEATS},
                )
            elif availability == Availability.SOLD_OUT and seats > 0:
                fail("seats", _("A sold-out flight cannot have seats."))
            found["seats"] = seats
    currency = clean_text(row.get("currency")).upper()
    found["price"], found["currency"] = None, ""
    if _blank(row.get("price")):
        if currency:
            fail("price", _("A currency was given without a price."))
        return found
    try:
        price = _as_price(row["price"])
    except (InvalidOperation, TypeError, ValueError):
        fail("price", _("Price must be a number."))
        return found
    if price <= 0:
        fail("price", _("Price must be greater than zero."))
    elif price > _PRICE_LIMIT or price != price.quantize(_CENT):
        fail("price", _("Price must have at most two decimal places."))
    if not currency:
        fail("currency", _("A price needs its currency (e.g. RUB, USD)."))
    elif currency not in CURRENCY_CODES:
        fail(
            "currency",
            _("%(code)r is not an ISO 4217 currency code.") % {"code": currency},
        )
    found["price"], found["currency"] = price, currency
    return found


def _validate_flight_row(
    row: Any, *, airports: Mapping[str, Airport], now: datetime
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean values for one row, or its field errors."""
    if not isinstance(row, Mapping):
        return {}, {"row": [_("Each row must be an object of fields.")]}
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in sorted(set(row) - set(FLIGHT_ROW_FIELDS)):
        fail(name, _("Unknown field."))
    for name in FLIGHT_REQUIRED_FIELDS:
        if _blank(row.get(name)):
            fail(name, _("This field is required."))
    values: dict[str, Any] = {
        **_clean_airports(row, airports, fail),
        **_clean_times(row, now, fail),
        **_clean_offer(row, fail),
        "source_url": clean_text(row.get("source_url")),
    }
    for name, limit in _TEXT_LIMITS:
        values[name] = clean_text(row.get(name))
        if len(values[name]) > limit:
            fail(name, _("At most %(max)d characters.") % {"max": limit})
    if errors:
        return {}, errors
    try:
        FlightReport(**values).clean_fields(exclude=["origin", "destination", "source"])
    except ValidationError as exc:
        return {}, exc.message_dict
    return values, {}


def flight_rows_validate(rows: Sequence[Any], *, now: datetime) -> list[dict[str, Any]]:
    """The clean values of every row, in order; FlightRowsInvalid, with each bad
    row's field messages by its index, when any row is invalid."""
    codes = {
        clean_text(row.get(name)).upper()
        for row in rows
        if isinstance(row, Mapping)
        for name in ("origin", "destination")
    }
    airports = {a.iata: a for a in Airport.objects.filter(iata__in=codes - {""})}
    cleaned: list[dict[str, Any]] = []
    problems: dict[int, dict[str, list[str]]] = {}
    first_row_of: dict[str, int] = {}
    for index, row in enumerate(rows):
        values, errors = _validate_flight_row(row, airports=airports, now=now)
        ref = clean_text(row.get("source_ref")) if isinstance(row, Mapping) else ""
        if ref in first_row_of:
            errors.setdefault("source_ref", []).append(
                _("Repeats the source_ref of row %(row)d.")
                % {"row": first_row_of[ref] + 1}
            )
        elif ref:
            first_row_of[ref] = index
        if errors:
            problems[index] = errors
        cleaned.append(values)
    if problems:
        raise FlightRowsInvalid(problems)
    return cleaned
