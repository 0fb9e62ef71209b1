"""The interface every flight price provider implements (the list of them is in
routes.flights.sources.registry).

A provider is asked for fares out of a set of origin airports; it answers with
rows for flight_reports_import, restricted to airports ExitWatch knows, plus a
message per request that failed. A provider without credentials in the
environment is simply off: is_configured() is False and it is never called.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class FlightFeedError(ValueError):
    """A provider's answer is not in its documented format; nothing is stored."""


@dataclass
class ProviderBatch:
    """Rows from one provider run, and what went wrong along the way."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    # True when every failed request may succeed later (network, 5xx, 429).
    transient: bool = False


class FlightPriceProvider(Protocol):
    key: str
    name: str
    url: str

    def is_configured(self) -> bool: ...

    def fetch_rows(
        self, *, origins: Collection[str], known: Collection[str], now: datetime
    ) -> ProviderBatch: ...
