"""Polling the flight price providers: fetch, then import, then record health.

Each configured provider is asked for fares out of the Russian airports in the
database; its rows go through routes.flights.services.flight_reports_import (the same
write path as volunteer spreadsheets and the bulk API). A provider run is a run of
exitwatch.lib.sources: it holds a lock named for the provider, so two runs never
overlap, and its health is recorded on the provider's FlightProvider row. Failed
requests leave stored reports as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import ClassVar

from django.core.exceptions import ValidationError

from exitwatch.lib.sources import RunOutcome, source_run
from routes.flights.models import Airport, FlightProvider, ImportVia
from routes.flights.services import (
    FlightImportResult,
    FlightRowsInvalid,
    flight_reports_import,
)
from routes.flights.sources.providers import FlightPriceProvider
from routes.flights.sources.registry import all_providers

log = logging.getLogger(__name__)

ORIGIN_COUNTRY = "RU"


@dataclass
class ProviderOutcome(RunOutcome):
    """How one provider run went."""

    imported: FlightImportResult | None = None

    status_lines: ClassVar[Mapping[str, str]] = {
        **RunOutcome.status_lines,
        "off": "off (not configured)",
    }

    @property
    def seen(self) -> int:
        """Fares the provider answered with (none when the run failed)."""
        return self.items_seen or 0

    def counts(self) -> str:
        result = self.imported or FlightImportResult()
        return (
            f"{self.seen} fares, {result.created} new, "
            f"{result.updated} changed, {result.confirmed} confirmed, "
            f"{result.unchanged} unchanged"
        )


def _health_row(provider: FlightPriceProvider) -> FlightProvider:
    row, _ = FlightProvider.objects.get_or_create(
        key=provider.key, defaults={"name": provider.name, "url": provider.url}
    )
    configured = provider.is_configured()
    if (row.name, row.url, row.enabled) != (provider.name, provider.url, configured):
        FlightProvider.objects.filter(pk=row.pk).update(
            name=provider.name, url=provider.url, enabled=configured
        )
        row.name, row.url, row.enabled = provider.name, provider.url, configured
    return row


def flight_provider_refresh(
    *, provider: FlightPriceProvider, run_id: str, now: datetime | None = None
) -> ProviderOutcome:
    """Fetch and import one provider's fares, unless it is off or already running.

    Raises exitwatch.lib.jobs.JobStoreUnavailable if Redis does not answer.
    """
    row = _health_row(provider)
    if not row.enabled:
        return ProviderOutcome(provider.key, "off")
    outcome = source_run(
        row=row,
        lock_key=f"flight-provider:{provider.key}",
        owner=run_id,
        step=partial(_run, provider),
        now=now,
    )
    return outcome or ProviderOutcome(provider.key, "busy")


def _run(provider: FlightPriceProvider, now: datetime) -> ProviderOutcome:
    known = set(Airport.objects.values_list("iata", flat=True))
    origins = set(
        Airport.objects.filter(country=ORIGIN_COUNTRY).values_list("iata", flat=True)
    )
    if not origins:
        message = "no airports in Russia in the database to ask about"
        return ProviderOutcome(provider.key, "failed", error=message)
    batch = provider.fetch_rows(origins=origins, known=known, now=now)
    error = "; ".join(batch.errors[:10])
    if batch.errors and len(batch.errors) >= batch.requests:
        return ProviderOutcome(
            provider.key, "failed", error=error, transient=batch.transient
        )
    try:
        imported = _import(provider.key, batch.rows, now)
    except ValidationError as exc:
        message = f"invalid rows from the provider: {exc.messages[:5]}"
        log.error("%s: %s", provider.key, message)
        return ProviderOutcome(provider.key, "failed", error=message)
    # Some requests failing is recorded as an error, with what the rest brought.
    return ProviderOutcome(
        provider.key,
        "ok",
        error=error,
        items_seen=len(batch.rows),
        items_changed=imported.changed,
        imported=imported,
    )


def _import(
    source: str, rows: list[dict[str, object]], now: datetime
) -> FlightImportResult:
    """Import a provider's rows; a fare the write path refuses (a departure that
    already left, an unknown currency) is dropped and logged, not allowed to sink
    the others."""
    if not rows:
        return FlightImportResult()

    def record(batch: list[dict]) -> FlightImportResult:
        return flight_reports_import(
            source=source,
            rows=batch,
            now=now,
            via=ImportVia.PROVIDER,
            actor_label=source,
        )

    try:
        return record(rows)
    except FlightRowsInvalid as exc:
        for index, errors in exc.rows.items():
            log.warning(
                "%s: dropped %s: %s", source, rows[index].get("source_ref"), errors
            )
        valid = [r for i, r in enumerate(rows) if i not in exc.rows]
        return record(valid) if valid else FlightImportResult()


def flights_refresh(*, run_id: str) -> list[ProviderOutcome]:
    """Refresh every provider (those without credentials report "off")."""
    return [
        flight_provider_refresh(provider=provider, run_id=run_id)
        for provider in all_providers()
    ]
