"""Celery tasks for flights: thin wrappers over the flight refresh.

refresh_flights runs one task per configured provider; only transient failures
(every request failed on the network, a 5xx or a 429) are retried, with
exponential backoff and jitter. A run past its soft time limit, or abandoned
after its worker died, is recorded on the provider (exitwatch.lib.sources).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from exitwatch.lib.jobs import TRANSIENT_RETRY, DeliveryCappedTask
from exitwatch.lib.sources import SourceTask
from routes.flights.models import FlightProvider
from routes.flights.refresh import flight_provider_refresh
from routes.flights.sources.registry import all_providers


class ProviderTemporarilyUnavailable(Exception):
    """Every request to the provider failed in a way that may pass: retry later."""


class FlightProviderTask(SourceTask):
    abstract = True
    source_model = FlightProvider


@shared_task(
    bind=True,
    base=FlightProviderTask,
    autoretry_for=(ProviderTemporarilyUnavailable,),
    **TRANSIENT_RETRY,
)
def refresh_flight_provider(
    self: FlightProviderTask, provider_key: str
) -> dict[str, Any]:
    provider = next((p for p in all_providers() if p.key == provider_key), None)
    if provider is None:
        return {"provider": provider_key, "status": "gone"}
    try:
        outcome = flight_provider_refresh(provider=provider, run_id=self.run_owner())
    except SoftTimeLimitExceeded:
        message = self.give_up(provider_key)
        return {"provider": provider_key, "status": "failed", "error": message}
    if outcome.transient:
        raise ProviderTemporarilyUnavailable(outcome.error)
    return {"provider": provider_key, "status": outcome.status, "seen": outcome.seen}


@shared_task(base=DeliveryCappedTask)
def refresh_flights() -> list[str]:
    """Queue one refresh per configured provider."""
    keys = [p.key for p in all_providers() if p.is_configured()]
    for key in keys:
        refresh_flight_provider.apply_async((key,), expires=12 * 60)
    return keys
