"""Writes for flight reports: background providers, volunteer spreadsheets, the
bulk API. One batch of rows from one source is validated whole (see
routes.flights.validation) and written all or nothing.

A report is keyed by (source, source_ref): sending the same rows again changes
nothing; a row with new values updates its report; the same values seen again
later only move observed_at forward ("confirmed"); an observation older than the
stored one is ignored rather than allowed to overwrite it. "Sold out" is an
availability of its own, and cannot come with seats.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exitwatch.lib.geo import great_circle_km
from exitwatch.lib.snapshot import snapshot_mark_stale
from routes.flights.models import (
    FLIGHT_DETAIL_FIELDS,
    Airport,
    FlightImportBatch,
    FlightReport,
    ImportVia,
)
from routes.flights.validation import (
    FlightRowsInvalid,
    clean_text,
    flight_rows_validate,
)

# Callers of the imports catch FlightRowsInvalid from here; the row format itself
# (FLIGHT_ROW_FIELDS) is routes.flights.validation's.
__all__ = [
    "MAX_FLIGHT_ROWS",
    "BorderPost",
    "FlightImportResult",
    "FlightRowsInvalid",
    "airports_border_checkpoints_record",
    "flight_report_upsert",
    "flight_reports_import",
    "flight_reports_import_mixed",
]

MAX_FLIGHT_ROWS = 5000
# What a report says; observed_at is compared separately (a re-observation).
_FLIGHT_CONTENT_FIELDS = (
    "origin_id",
    "destination_id",
    *FLIGHT_DETAIL_FIELDS,
    "source_url",
)


@dataclasses.dataclass
class FlightImportResult:
    """What a batch did: the reports in input order, and counts by outcome."""

    reports: list[FlightReport] = dataclasses.field(default_factory=list)
    created: int = 0
    updated: int = 0
    confirmed: int = 0
    unchanged: int = 0
    older: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


@transaction.atomic
def flight_reports_import(
    *,
    source: str,
    rows: Sequence[Mapping[str, Any]],
    now: datetime | None = None,
    via: str = ImportVia.COMMAND,
    account: AbstractBaseUser | None = None,
    actor_label: str = "",
) -> FlightImportResult:
    """Validate every row, then create or update the reports of `source`.

    Raises ValidationError for a bad batch (no rows, too many, bad source name)
    and FlightRowsInvalid, with field messages per row, when any row is invalid;
    either way nothing is written. A batch that writes anything is recorded
    (FlightImportBatch: `via`, the API `account`, `actor_label` or the account's
    name, the time) and the reports it wrote point at it. Who may write which
    source is the caller's to check (routes.flights.selectors). On commit the
    map snapshot is marked stale if a report was created or changed.
    """
    now = now or timezone.now()
    source = clean_text(source)
    if not source or len(source) > 40:
        raise ValidationError({"source": [_("Name the source in 1 to 40 characters.")]})
    if not rows:
        raise ValidationError({"rows": [_("There are no rows to import.")]})
    if len(rows) > MAX_FLIGHT_ROWS:
        raise ValidationError(
            {"rows": [_("At most %(max)d rows at once.") % {"max": MAX_FLIGHT_ROWS}]}
        )
    cleaned = flight_rows_validate(rows, now=now)
    stored = {
        report.source_ref: report
        for report in FlightReport.objects.select_for_update().filter(
            source=source, source_ref__in=[values["source_ref"] for values in cleaned]
        )
    }
    result = FlightImportResult()
    to_create: list[FlightReport] = []
    to_update: list[FlightReport] = []
    for values in cleaned:
        report = stored.get(values["source_ref"])
        candidate = FlightReport(source=source, **values)
        if report is None:
            report = candidate
            to_create.append(report)
            result.created += 1
        elif candidate.observed_at < report.observed_at:
            result.older += 1
        elif any(
            getattr(candidate, name) != getattr(report, name)
            for name in _FLIGHT_CONTENT_FIELDS
        ):
            for name in (*_FLIGHT_CONTENT_FIELDS, "observed_at"):
                setattr(report, name, getattr(candidate, name))
            to_update.append(report)
            result.updated += 1
        elif candidate.observed_at > report.observed_at:
            report.observed_at = candidate.observed_at
            to_update.append(report)
            result.confirmed += 1
        else:
            result.unchanged += 1
        result.reports.append(report)
    if to_create or to_update:
        batch = FlightImportBatch.objects.create(
            source=source,
            via=via,
            account=account,
            actor_label=actor_label
            or (account.get_username() if account else ImportVia(via).label),
            received_at=now,
            rows=len(rows),
            created=result.created,
            updated=result.updated,
            confirmed=result.confirmed,
        )
        for report in (*to_create, *to_update):
            report.batch = batch
    FlightReport.objects.bulk_create(to_create)
    for report in to_update:
        report.updated_at = now
    FlightReport.objects.bulk_update(
        to_update,
        [
            *(name.removesuffix("_id") for name in _FLIGHT_CONTENT_FIELDS),
            "observed_at",
            "updated_at",
            "batch",
        ],
    )
    if result.changed:
        snapshot_mark_stale()
    return result


def flight_report_upsert(
    *,
    source: str,
    row: Mapping[str, Any],
    now: datetime | None = None,
    via: str = ImportVia.COMMAND,
    account: AbstractBaseUser | None = None,
) -> tuple[FlightReport, str]:
    """Create or update one report. Returns it with its outcome: "created",
    "updated", "confirmed", "unchanged" or "older" (not applied)."""
    result = flight_reports_import(
        source=source, rows=[row], now=now, via=via, account=account
    )
    outcome = next(
        name
        for name in ("created", "updated", "confirmed", "unchanged", "older")
        if getattr(result, name)
    )
    return result.reports[0], outcome


@transaction.atomic
def flight_reports_import_mixed(
    *,
    rows: Sequence[Mapping[str, Any]],
    now: datetime | None = None,
    via: str = ImportVia.API,
    account: AbstractBaseUser | None = None,
) -> FlightImportResult:
    """Import rows that each name their own `source` (the bulk API), all or nothing.

    One flight_reports_import per source, each recorded as a batch of `account`;
    FlightRowsInvalid keeps each bad row's index in `rows`, whichever source it
    belongs to.
    """
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(clean_text(row.get("source")), []).append(index)
    total = FlightImportResult()
    errors: dict[int, dict[str, list[str]]] = {}
    for source, indexes in groups.items():
        try:
            result = flight_reports_import(
                source=source,
                rows=[
                    {k: v for k, v in rows[i].items() if k != "source"} for i in indexes
                ],
                now=now,
                via=via,
                account=account,
            )
        except FlightRowsInvalid as exc:
            errors.update({indexes[i]: messages for i, messages in exc.rows.items()})
            continue
        for name in ("created", "updated", "confirmed", "unchanged", "older"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
        total.reports.extend(result.reports)
    if errors:
        raise FlightRowsInvalid(errors)  # rolls back the groups already written
    return total


# --- The border checkpoints at Russian airports (Rosgranstroy's list) ----------


@dataclasses.dataclass(frozen=True)
class BorderPost:
    """An air border checkpoint as the official list gives it."""

    official_id: int
    name_ru: str
    latitude: float | None
    longitude: float | None
    working: bool


# How far the list's point may lie from the airport's: most points are on the
# terminal, a few on the city (Ufa's is 34 km off, and found by its name).
BORDER_POST_NEAR_KM = 15.0


def _post_for(airport: Airport, posts: Sequence[BorderPost]) -> BorderPost | None:
    """The nearest post within BORDER_POST_NEAR_KM, else the one post named
    after the airport's city ("Уфа"; "Москва (...)" names three, so no)."""
    near = [
        (
            great_circle_km(
                airport.latitude, airport.longitude, p.latitude, p.longitude
            ),
            p,
        )
        for p in posts
        if p.latitude is not None and p.longitude is not None
    ]
    near = [pair for pair in near if pair[0] <= BORDER_POST_NEAR_KM]
    if near:
        return min(near, key=lambda pair: pair[0])[1]
    city = airport.city_ru.casefold()
    named = [p for p in posts if p.name_ru.split(" (")[0].casefold() == city]
    return named[0] if len(named) == 1 else None


@transaction.atomic
def airports_border_checkpoints_record(*, posts: Sequence[BorderPost]) -> int:
    """Set on every Russian airport the official list's checkpoint serving it
    and whether it works, from the whole list `posts` (an airport it does not
    name goes back to unknown). Returns how many airports changed."""
    changed = 0
    for airport in Airport.objects.filter(country="RU").select_for_update():
        post = _post_for(airport, posts)
        values = (post.official_id, post.working) if post else (None, None)
        if (airport.border_checkpoint_id, airport.border_checkpoint_working) == values:
            continue
        airport.border_checkpoint_id, airport.border_checkpoint_working = values
        airport.save(
            update_fields=["border_checkpoint_id", "border_checkpoint_working"]
        )
        changed += 1
    return changed
