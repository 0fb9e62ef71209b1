"""Polling the flight price providers: fetch, then import, then record health.

Each configured provider is asked for fares out of the Russian airports in the
database; its rows go through routes.flights.services.flight_reports_import (the same
write path as volunteer spreadsheets and the bulk API). A provider run holds a
lock named for it, so two runs never overlap. Failed requests leave stored
reports as they are and are recorded on the provider's FlightProvider row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from exitwatch.lib.jobs import job_lock_ttl, single_run
from routes.flights.models import Airport, FlightProvider
from routes.flights.services import (
    FlightImportResult,
    FlightRowsInvalid,
    flight_reports_import,
)
from routes.flights.sources.providers import FlightPriceProvider, all_providers

log = logging.getLogger(__name__)

ORIGIN_COUNTRY = "RU"
MAX_ERROR_LENGTH = 2000


@dataclass
class ProviderOutcome:
    """How one provider run went."""

    provider: str
    status: str  # "ok", "failed", "off" (not configured) or "busy"
    imported: FlightImportResult | None = None
    seen: int = 0
    error: str = ""
    transient: bool = False

    def summary(self) -> str:
        if self.status == "off":
            return f"{self.provider}: off (not configured)"
        if self.status == "busy":
            return f"{self.provider}: skipped, another run of it is in progress"
        if self.status == "failed" and self.imported is None:
            return f"{self.provider}: failed: {self.error}"
        result = self.imported or FlightImportResult()
        line = (
            f"{self.provider}: {self.seen} fares, {result.created} new, "
            f"{result.updated} changed, {result.confirmed} confirmed, "
            f"{result.unchanged} unchanged"
        )
        return f"{line}; partly failed: {self.error}" if self.error else line


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


def _record(row: FlightProvider, now: datetime, **values: object) -> None:
    # update(), not save(): only the health columns, whatever else happens.
    FlightProvider.objects.filter(pk=row.pk).update(last_attempt_at=now, **values)


def flight_provider_refresh(
    *, provider: FlightPriceProvider, run_id: str, now: datetime | None = None
) -> ProviderOutcome:
    """Fetch and import one provider's fares, unless it is off or already running.

    Raises exitwatch.lib.jobs.JobStoreUnavailable if Redis does not answer.
    """
    row = _health_row(provider)
    if not row.enabled:
        return ProviderOutcome(provider.key, "off")
    with single_run(
        f"flight-provider:{provider.key}", owner=run_id, ttl=job_lock_ttl()
    ) as acquired:
        if not acquired:
            return ProviderOutcome(provider.key, "busy")
        now = now or timezone.now()
        try:
            return _run(provider, row, now)
        except Exception as exc:
            # A bug or a time limit: say so on the provider, then fail loudly.
            message = f"unexpected error: {exc!r}"[:MAX_ERROR_LENGTH]
            _record(row, now, last_error_at=now, last_error=message)
            raise


def _run(
    provider: FlightPriceProvider, row: FlightProvider, now: datetime
) -> ProviderOutcome:
    known = set(Airport.objects.values_list("iata", flat=True))
    origins = set(
        Airport.objects.filter(country=ORIGIN_COUNTRY).values_list("iata", flat=True)
    )
    if not origins:
        message = "no airports in Russia in the database to ask about"
        _record(row, now, last_error_at=now, last_error=message)
        return ProviderOutcome(provider.key, "failed", error=message)
    batch = provider.fetch_rows(origins=origins, known=known, now=now)
    error = "; ".join(batch.errors[:10])
    if batch.errors and len(batch.errors) >= batch.requests:
        _record(row, now, last_error_at=now, last_error=error[:MAX_ERROR_LENGTH])
        return ProviderOutcome(
            provider.key, "failed", error=error, transient=batch.transient
        )
    try:
        imported = _import(provider.key, batch.rows, now)
    except ValidationError as exc:
        message = f"invalid rows from the provider: {exc.messages[:5]}"
        log.error("%s: %s", provider.key, message)
        _record(row, now, last_error_at=now, last_error=message)
        return ProviderOutcome(provider.key, "failed", error=message)
    values: dict[str, object] = {
        "items_seen": len(batch.rows),
        "items_changed": imported.changed,
    }
    if batch.errors:
        values.update(last_error_at=now, last_error=error[:MAX_ERROR_LENGTH])
    else:
        values["last_success_at"] = now
    _record(row, now, **values)
    return ProviderOutcome(
        provider.key,
        "ok",
        imported=imported,
        seen=len(batch.rows),
        error=error,
    )


def _import(
    source: str, rows: list[dict[str, object]], now: datetime
) -> FlightImportResult:
    """Import a provider's rows; a fare the write path refuses (a departure that
    already left, an unknown currency) is dropped and logged, not allowed to sink
    the others."""
    if not rows:
        return FlightImportResult()
    try:
        return flight_reports_import(source=source, rows=rows, now=now)
    except FlightRowsInvalid as exc:
        for index, errors in exc.rows.items():
            log.warning(
                "%s: dropped %s: %s", source, rows[index].get("source_ref"), errors
            )
        valid = [r for i, r in enumerate(rows) if i not in exc.rows]
        if not valid:
            return FlightImportResult()
        return flight_reports_import(source=source, rows=valid, now=now)


def flights_refresh(*, run_id: str) -> list[ProviderOutcome]:
    """Refresh every provider (those without credentials report "off")."""
    return [
        flight_provider_refresh(provider=provider, run_id=run_id)
        for provider in all_providers()
    ]
