"""Flight prices from the Travelpayouts Data API (Aviasales), endpoint
/aviasales/v3/prices_for_dates.

Why this provider: Aviasales is the fare search most people in Russia use, its
cache covers the carriers still flying out of Russia (Aeroflot, Pobeda, Turkish,
Air Serbia, flydubai…), the Data API is free with a partner token, and the 2022
exit trackers used it for exactly this. Its limits, stated where the data is shown:
prices come from a cache of searches made by Aviasales users in the last days
(not a live seat count), so a fare means "seats were on sale at this price
recently" and is stored as availability "available" with no seat count; the
fetch time is stored as observed_at.

Documented response: {"success": true, "currency": "rub", "data": [{"origin":
"MOW", "destination": "IST", "origin_airport": "SVO", "destination_airport":
"IST", "price": 21000, "airline": "SU", "flight_number": "2130", "departure_at":
"2026-05-10T07:00:00+03:00", "transfers": 0, "link": "/search/..."}], ...};
on failure {"success": false, "error": "...", "data": ...}.

Configuration: TRAVELPAYOUTS_TOKEN (the provider is off without it), sent in the
X-Access-Token header rather than the URL so it never lands in a log line.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.utils.dateparse import parse_datetime

from exitwatch.lib.fetching import FetchError, fetch
from routes.flights.sources.providers import FlightFeedError, ProviderBatch

KEY = "travelpayouts"
NAME = "Travelpayouts (Aviasales Data API)"
SITE = "https://www.aviasales.ru"
MOSCOW = ZoneInfo("Europe/Moscow")


def _json(raw: bytes) -> dict[str, Any]:
    if not raw or not raw.strip():
        raise FlightFeedError("Travelpayouts: empty response")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FlightFeedError(f"Travelpayouts: not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise FlightFeedError(
            f"Travelpayouts: expected an object, found {type(document).__name__}"
        )
    return document


def _source_ref(item: dict[str, Any], departure: datetime) -> str:
    return "-".join(
        [
            str(item["origin_airport"]),
            str(item["destination_airport"]),
            departure.strftime("%Y%m%dT%H%M%z"),
            f"{item.get('airline') or ''}{item.get('flight_number') or ''}",
        ]
    )


def parse(
    raw: bytes, *, observed_at: datetime, currency: str = "RUB"
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows for flight_reports_import from one prices_for_dates answer, and the
    entries left out (connections, missing airports) with the reason for each."""
    document = _json(raw)
    if document.get("success") is not True:
        raise FlightFeedError(
            f"Travelpayouts refused the request: {document.get('error') or 'no reason'}"
        )
    data = document.get("data")
    if not isinstance(data, list):
        raise FlightFeedError(
            f"Travelpayouts: data is {type(data).__name__}, expected a list"
        )
    answer_currency = str(document.get("currency") or currency).upper()
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for position, item in enumerate(data):
        what = f"fare {position}"
        if not isinstance(item, dict):
            skipped.append(f"{what}: not an object")
            continue
        origin, destination = (
            item.get("origin_airport"),
            item.get("destination_airport"),
        )
        if not isinstance(origin, str) or not isinstance(destination, str):
            skipped.append(f"{what}: no airport codes")
            continue
        what = f"{origin}→{destination} fare {position}"
        transfers = item.get("transfers", 0)
        if transfers != 0:
            skipped.append(f"{what}: {transfers!r} connections, not a single flight")
            continue
        departure = (
            parse_datetime(item["departure_at"])
            if isinstance(item.get("departure_at"), str)
            else None
        )
        if departure is None or departure.tzinfo is None:
            skipped.append(f"{what}: departure_at {item.get('departure_at')!r}")
            continue
        try:
            price = item.get("price")
            if isinstance(price, bool) or not isinstance(price, int | float | str):
                raise InvalidOperation
            price = Decimal(str(price))
        except InvalidOperation:
            skipped.append(f"{what}: price {item.get('price')!r}")
            continue
        airline = str(item.get("airline") or "")[:80]
        number = str(item.get("flight_number") or "")
        link = item.get("link")
        rows.append(
            {
                "origin": origin.upper(),
                "destination": destination.upper(),
                "departure_date": departure.date().isoformat(),
                "airline": airline,
                "flight_number": f"{airline}{number}"[:12] if number else "",
                "availability": "available",
                "seats": None,
                "price": price,
                "currency": answer_currency,
                "observed_at": observed_at,
                "source_ref": _source_ref(item, departure),
                "source_url": f"{SITE}{link}"
                if isinstance(link, str) and link.startswith("/")
                else "",
            }
        )
    return rows, skipped


def months_ahead(today: date, count: int = 2) -> list[str]:
    """This month and the next ones, as the API's YYYY-MM."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class TravelpayoutsProvider:
    """Direct one-way fares out of each origin airport, this month and next."""

    key = KEY
    name = NAME

    @property
    def url(self) -> str:
        return settings.TRAVELPAYOUTS_URL

    def is_configured(self) -> bool:
        return bool(settings.TRAVELPAYOUTS_TOKEN)

    def fetch_rows(
        self, *, origins: Collection[str], known: Collection[str], now: datetime
    ) -> ProviderBatch:
        batch = ProviderBatch()
        failures_transient: list[bool] = []
        refs: set[str] = set()
        with requests.Session() as session:
            for origin in sorted(origins):
                for month in months_ahead(now.astimezone(MOSCOW).date()):
                    batch.requests += 1
                    answer = fetch(
                        self.url,
                        params={
                            "origin": origin,
                            "departure_at": month,
                            "one_way": "true",
                            "direct": "true",
                            "sorting": "price",
                            "currency": "rub",
                            "limit": "1000",
                        },
                        headers={"X-Access-Token": settings.TRAVELPAYOUTS_TOKEN},
                        session=session,
                    )
                    if isinstance(answer, FetchError):
                        batch.errors.append(f"{origin} {month}: {answer.message}")
                        failures_transient.append(answer.transient)
                        continue
                    try:
                        rows, skipped = parse(answer.body, observed_at=now)
                    except FlightFeedError as exc:
                        batch.errors.append(f"{origin} {month}: {exc}")
                        failures_transient.append(False)
                        continue
                    batch.skipped.extend(skipped)
                    for row in rows:
                        if row["source_ref"] in refs:
                            continue  # the same fare listed twice
                        if row["origin"] in known and row["destination"] in known:
                            refs.add(row["source_ref"])
                            batch.rows.append(row)
        batch.transient = bool(failures_transient) and all(failures_transient)
        return batch
