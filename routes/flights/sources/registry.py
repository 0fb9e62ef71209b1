"""Every flight price provider ExitWatch knows, configured or not."""

from __future__ import annotations

from routes.flights.sources.providers import FlightPriceProvider
from routes.flights.sources.travelpayouts import TravelpayoutsProvider


def all_providers() -> list[FlightPriceProvider]:
    return [TravelpayoutsProvider()]
