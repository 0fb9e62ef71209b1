"""Writes for traveller reports: submit, moderate, trusted tokens, retention.

Approving a report never writes a crossing's state itself: it hands the median
of recent approved reports to routes.services.crossing_update_record, the one
write path, with source kind "traveller".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exitwatch.lib.coarse_time import floor_time
from exitwatch.lib.observed import observed_at_problem
from routes.models import MAX_WAIT_MINUTES, BorderCrossing, Mode, SourceKind, Status
from routes.reports.limits import crossing_flooded
from routes.reports.models import (
    MAX_QUEUE_POSITION,
    MAX_REPORT_NOTE_LENGTH,
    REPORTED_STATUSES,
    Direction,
    ReportState,
    TravellerReport,
    TrustedReporterToken,
)
from routes.reports.scrub import scrub_note
from routes.reports.selectors import report_wait_basis
from routes.reports.tokens import (
    FormTokenError,
    form_token_spend,
    sent_key,
    sent_lookup,
    sent_remember,
    trusted_token_generate,
)
from routes.services import crossing_update_record

MAX_REPORT_AGE = timedelta(hours=48)
MAX_REASON_LENGTH = 500


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def report_validate(
    *,
    direction: str,
    mode: str,
    status_seen: str,
    wait_minutes: int | None,
    queue_position: int | None,
    observed_at: datetime,
    note: str,
    language: str,
    now: datetime | None = None,
) -> dict[str, list[str]]:
    """Field messages for a report that cannot be accepted ({} when it can)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if direction not in Direction.values:
        add("direction", _("Choose leaving or entering Russia."))
    if mode not in Mode.values:
        add("mode", _("Choose one of: %(modes)s.") % {"modes": ", ".join(Mode.values)})
    if status_seen not in REPORTED_STATUSES:
        add("status_seen", _("Choose open, restricted or closed."))
    if wait_minutes is not None and (
        not _is_whole(wait_minutes) or not 0 <= wait_minutes <= MAX_WAIT_MINUTES
    ):
        add(
            "wait_minutes",
            _("Wait must be a whole number of minutes from 0 to %(max)d.")
            % {"max": MAX_WAIT_MINUTES},
        )
    if queue_position is not None and (
        not _is_whole(queue_position) or not 0 <= queue_position <= MAX_QUEUE_POSITION
    ):
        add(
            "queue_position",
            _("Queue position must be a whole number from 0 to %(max)d.")
            % {"max": MAX_QUEUE_POSITION},
        )
    if wait_minutes is None and queue_position is None and status_seen != Status.CLOSED:
        add(
            "wait_minutes",
            _("Give the time you have waited so far or your place in the queue."),
        )
    problem = observed_at_problem(observed_at, now=now, max_age=MAX_REPORT_AGE)
    if problem:
        add("observed_at", problem)
    if len(note) > MAX_REPORT_NOTE_LENGTH:
        add(
            "note",
            _("The note is longer than %(max)d characters.")
            % {"max": MAX_REPORT_NOTE_LENGTH},
        )
    if language not in dict(settings.LANGUAGES):
        add("language", _("Unknown language."))
    return errors


@transaction.atomic
def report_submit(
    *,
    crossing: BorderCrossing,
    direction: str,
    mode: str,
    status_seen: str,
    wait_minutes: int | None = None,
    queue_position: int | None = None,
    observed_at: datetime | None = None,
    note: str = "",
    language: str = "en",
    trusted_token: TrustedReporterToken | None = None,
) -> TravellerReport:
    """Store a traveller's report as pending; a trusted token's report is approved.

    The moderators hear of a pending report from the minute sweep
    (routes.reports.notify), which reads the reports themselves: the report needs
    no broker, and one stored while Redis is down is told of after it returns.

    The note is scrubbed of contact details and plates and both times are floored
    to 5 minutes before anything is written. Raises ValidationError with field
    messages, and then writes nothing.
    """
    now = timezone.now()
    observed_at = observed_at or now
    note = (note or "").strip()
    # What the traveller said, stored as given once valid (the times are floored
    # and the note scrubbed below).
    said = {
        "direction": direction,
        "mode": mode,
        "status_seen": status_seen,
        "wait_minutes": wait_minutes,
        "queue_position": queue_position,
        "language": language,
    }
    errors = report_validate(**said, observed_at=observed_at, note=note, now=now)
    if errors:
        raise ValidationError(errors)
    report = TravellerReport(
        crossing=crossing,
        **said,
        observed_at=floor_time(min(observed_at, now)),
        submitted_at=floor_time(now),
        note=scrub_note(note),
    )
    report.full_clean(exclude=["crossing"])
    report.save()
    if trusted_token is not None:
        TrustedReporterToken.objects.filter(pk=trusted_token.pk).update(
            last_used_at=now
        )
        report = report_approve(report=report, trusted_token=trusted_token)
    return report


def report_accept(
    *,
    fields: dict[str, Any],
    form_token_nonce: str | None = None,
    trusted_token: TrustedReporterToken | None = None,
    client: str | None = None,
) -> tuple[TravellerReport, bool]:
    """Submit a report that came through the form or the API, checked and counted:
    (the report, True) or, when the sender sent this same report a moment ago
    (routes.reports.tokens.sent_key), (that report, False) and nothing stored.

    The caller has parsed the input, checked the form token's signature and
    counted the client (`client`: its opaque key) against its limit. Here the
    report is stored, counted at its crossing (and held back if it is part of a
    flood there, see limits.crossing_flooded), and its form token spent; if the
    token was spent already (ValidationError), nothing is stored.
    """
    sender = f"token:{trusted_token.pk}" if trusted_token is not None else client
    key = sent_key(sender=sender, fields=fields) if sender else None
    if key and (public_id := sent_lookup(key)):
        earlier = TravellerReport.objects.filter(public_id=public_id).first()
        if earlier is not None:
            return earlier, False
    with transaction.atomic():
        report = report_submit(**fields, trusted_token=trusted_token)
        if trusted_token is None:
            if crossing_flooded(crossing_id=report.crossing_id, client=client):
                report.quarantined = True
                report.save(update_fields=["quarantined"])
            try:
                form_token_spend(form_token_nonce or "")
            except FormTokenError as exc:
                raise ValidationError({"form_token": [str(exc)]}) from None
    if key:
        # Remembered even if an outer transaction later rolls back: the lookup
        # above reads the report itself, and a key naming none is ignored.
        sent_remember(key, str(report.public_id))
    return report, True


@transaction.atomic
def report_approve(
    *,
    report: TravellerReport,
    actor: AbstractBaseUser | None = None,
    trusted_token: TrustedReporterToken | None = None,
) -> TravellerReport:
    """Approve a pending report and, for people leaving, update the crossing.

    The crossing's wait for the report's mode becomes the median of recent
    approved reports (see report_selectors.report_wait_basis), recorded through
    crossing_update_record with source kind "traveller" and its basis.
    Reports of people entering Russia are published but leave the crossing's
    state (which is about leaving) alone.
    """
    # Lock the crossing first: two moderators approving reports of one
    # crossing at once would otherwise each compute a median without the other.
    crossing = BorderCrossing.objects.select_for_update().get(pk=report.crossing_id)
    report = TravellerReport.objects.select_for_update().get(pk=report.pk)
    report.crossing = crossing
    if report.state != ReportState.PENDING:
        raise ValidationError(
            {
                "state": [
                    _("Only a pending report can be approved; this one is %(state)s.")
                    % {"state": report.get_state_display()}
                ]
            }
        )
    report.state = ReportState.APPROVED
    report.moderated_at = timezone.now()
    report.moderated_by = actor
    report.published_with = trusted_token
    report.save(
        update_fields=["state", "moderated_at", "moderated_by", "published_with"]
    )
    if report.direction != Direction.LEAVING:
        return report

    basis = report_wait_basis(report=report)
    waits, wait_basis = {}, {}
    if basis.median is not None:
        waits[report.wait_mode] = basis.median
        wait_basis[report.wait_mode] = basis.as_json(report.wait_mode)
    label = ""
    if trusted_token is not None:
        label = f"trusted reporter: {trusted_token.label}"[:150]
    report.crossing_update = crossing_update_record(
        crossing=crossing,
        source_kind=SourceKind.TRAVELLER,
        status=basis.status,
        waits=waits,
        wait_basis=wait_basis,
        observed_at=basis.observed_at,
        actor=actor,
        actor_label=label,
    )
    report.save(update_fields=["crossing_update"])
    return report


@transaction.atomic
def report_reject(
    *, report: TravellerReport, actor: AbstractBaseUser | None, reason: str
) -> TravellerReport:
    """Reject a pending report, saying why (kept with the report, never public)."""
    reason = (reason or "").strip()
    report = TravellerReport.objects.select_for_update().get(pk=report.pk)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the report is rejected.")]
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = [
            _("The reason is longer than %(max)d characters.")
            % {"max": MAX_REASON_LENGTH}
        ]
    if report.state != ReportState.PENDING:
        errors["state"] = [
            _("Only a pending report can be rejected; this one is %(state)s.")
            % {"state": report.get_state_display()}
        ]
    if errors:
        raise ValidationError(errors)
    report.state = ReportState.REJECTED
    report.reject_reason = reason
    report.moderated_at = timezone.now()
    report.moderated_by = actor
    report.save(
        update_fields=["state", "reject_reason", "moderated_at", "moderated_by"]
    )
    return report


@transaction.atomic
def report_verify(
    *, report: TravellerReport, actor: AbstractBaseUser | None
) -> TravellerReport:
    """Mark a report as seen or confirmed by staff (idempotent)."""
    report = TravellerReport.objects.select_for_update().get(pk=report.pk)
    if not report.verified:
        report.verified = True
        report.verified_at = timezone.now()
        report.verified_by = actor
        report.save(update_fields=["verified", "verified_at", "verified_by"])
    return report


def trusted_token_issue(
    *, label: str, actor: AbstractBaseUser | None = None
) -> tuple[TrustedReporterToken, str]:
    """Create a token for a volunteer; the raw token is returned once, never stored."""
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Say who or what the token is for.")]})
    raw, token_hash, prefix = trusted_token_generate()
    token = TrustedReporterToken(
        label=label, token_hash=token_hash, prefix=prefix, created_by=actor
    )
    token.full_clean()
    token.save()
    return token, raw


def trusted_token_revoke(
    *, token: TrustedReporterToken, actor: AbstractBaseUser | None = None
) -> TrustedReporterToken:
    """Stop a token working at once; its published reports keep their audit link."""
    TrustedReporterToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    token.refresh_from_db()
    return token


def report_purge(*, now: datetime | None = None) -> int:
    """Delete reports submitted before the retention period; return how many.

    The crossing history rows that approvals produced stay: they hold medians
    and counts, nothing a single traveller wrote.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_RETENTION_DAYS)
    deleted, _by_model = TravellerReport.objects.filter(
        submitted_at__lt=cutoff
    ).delete()
    return deleted
