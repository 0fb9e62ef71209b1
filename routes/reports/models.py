"""Traveller reports: what people in the queue report, and the tokens of trusted
volunteers who publish directly.

Nothing here identifies an anonymous reporter: no address, user agent, cookie or
other stable identifier is a field, and times are kept only to the 5 minutes shown
in public. The tables keep the names they had when these models lived in the routes
app.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from routes.models import (
    BorderCrossing,
    CrossingUpdate,
    Mode,
    Status,
    wait_check,
)

MAX_QUEUE_POSITION = 100_000
# A traveller's free-text note: short, scrubbed of contact details and read by a
# moderator before anyone else. The service, the API and the form read this limit.
MAX_REPORT_NOTE_LENGTH = 500


class Direction(models.TextChoices):
    LEAVING = "leaving", _("Leaving Russia")
    ENTERING = "entering", _("Entering Russia")


class ReportState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What a traveller can see from the queue; "unknown" is not a report.
REPORTED_STATUSES = (Status.OPEN, Status.RESTRICTED, Status.CLOSED)
# What a traveller tells of the queue, in the order the API and the admin show it
# (the note and its language follow).
REPORT_FIELDS = (
    "direction",
    "mode",
    "status_seen",
    "wait_minutes",
    "queue_position",
    "observed_at",
)


def staff_link(verbose_name: str | Promise) -> models.ForeignKey:
    """The staff account that took a step (issued, revoked, moderated, verified).

    Deleting the account keeps the record of the step, without its name.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class TrustedReporterToken(models.Model):
    """A revocable credential that lets a known volunteer publish reports directly.

    Only a SHA-256 hash of the token is stored (the token is random, so a slow
    hash adds nothing); staff see it once, when it is issued.
    """

    label = models.CharField(
        _("label"),
        max_length=100,
        help_text=_(
            "Who or what this token is for, e.g. “Volunteers at Upper Lars”. "
            "It appears in the public audit trail: avoid full names."
        ),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("starts with"),
        max_length=16,
        editable=False,
        help_text=_("The first characters of the token, to tell tokens apart."),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    created_by = staff_link(_("issued by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = staff_link(_("revoked by"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        db_table = "routes_trustedreportertoken"
        ordering = ["-created_at"]
        verbose_name = _("trusted reporter token")
        verbose_name_plural = _("trusted reporter tokens")

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TravellerReportQuerySet(models.QuerySet):
    def pending(self) -> TravellerReportQuerySet:
        return self.filter(state=ReportState.PENDING)

    def approved(self) -> TravellerReportQuerySet:
        return self.filter(state=ReportState.APPROVED)

    def awaiting_notice(self) -> TravellerReportQuerySet:
        """Pending reports that no e-mail to the moderators has told of yet."""
        return self.pending().filter(moderators_notified_at__isnull=True)


class TravellerReport(models.Model):
    """What one traveller saw at a crossing; pending until staff moderate it."""

    # What the public sees of a report (the API's "id"): random, so it tells
    # neither when the report came nor how many came before it, as the
    # sequential primary key would to anyone who brackets a report between two
    # of their own. Staff work with the primary key in the admin.
    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    crossing = models.ForeignKey(
        BorderCrossing,
        on_delete=models.CASCADE,
        related_name="traveller_reports",
        verbose_name=_("crossing"),
    )
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Direction.choices,
        default=Direction.LEAVING,
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    status_seen = models.CharField(
        _("status seen"),
        max_length=16,
        choices=[(s.value, s.label) for s in REPORTED_STATUSES],
    )
    wait_minutes = models.PositiveIntegerField(
        _("waited so far (min)"), null=True, blank=True
    )
    queue_position = models.PositiveIntegerField(
        _("queue position"), null=True, blank=True
    )
    # Both times are floored to 5 minutes before storage (see routes.reports.services).
    observed_at = models.DateTimeField(_("observed at"))
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(
        _("note"), blank=True, help_text=_("Phone numbers, e-mails, plates removed.")
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    # Set when the report came while its crossing had more reports than its
    # budget, from a sender who had already sent several there
    # (routes.reports.limits.crossing_flooded): the moderation queue shows it
    # after every other pending report. Nothing about the sender is kept.
    quarantined = models.BooleanField(
        _("held back"),
        default=False,
        help_text=_(
            "Sent during a flood of reports at this crossing by a sender who had "
            "already sent several: checked after the others."
        ),
    )

    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ReportState.choices,
        default=ReportState.PENDING,
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = staff_link(_("moderated by"))
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    published_with = models.ForeignKey(
        TrustedReporterToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("published with token"),
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Seen or confirmed by staff.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = staff_link(_("verified by"))
    # The history row that approving this report produced (none for reports of
    # people entering Russia, which do not move the crossing's state).
    crossing_update = models.ForeignKey(
        CrossingUpdate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crossing update"),
    )
    # The 5-minute step in which moderators were told this report waits
    # (routes.reports.notify); set once the e-mail has gone.
    moderators_notified_at = models.DateTimeField(
        _("moderators notified at"), null=True, blank=True
    )

    objects = TravellerReportQuerySet.as_manager()

    class Meta:
        db_table = "routes_travellerreport"
        ordering = ["submitted_at", "id"]
        verbose_name = _("traveller report")
        verbose_name_plural = _("traveller reports")
        permissions = [
            (
                "moderate_travellerreport",
                _("Can approve, reject and verify traveller reports"),
            )
        ]
        constraints = [
            wait_check("wait_minutes", prefix="routes_travellerreport"),
            models.CheckConstraint(
                condition=Q(queue_position__isnull=True)
                | Q(queue_position__lte=MAX_QUEUE_POSITION),
                name="routes_report_queue_position_range",
                violation_error_message=_("Queue position is too large."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="routes_report_direction_valid",
                violation_error_message=_("Unknown direction."),
            ),
            models.CheckConstraint(
                condition=Q(mode__in=Mode.values),
                name="routes_report_mode_valid",
                violation_error_message=_("Unknown mode."),
            ),
            models.CheckConstraint(
                condition=Q(status_seen__in=[s.value for s in REPORTED_STATUSES]),
                name="routes_report_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values),
                name="routes_report_state_valid",
                violation_error_message=_("Unknown state."),
            ),
            models.CheckConstraint(
                condition=Q(wait_minutes__isnull=False)
                | Q(queue_position__isnull=False)
                | Q(status_seen=Status.CLOSED),
                name="routes_report_has_a_figure",
                violation_error_message=_(
                    "Give the time waited so far or your place in the queue."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.REJECTED) | ~Q(reject_reason=""),
                name="routes_report_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(state=ReportState.PENDING) | Q(moderated_at__isnull=False),
                name="routes_report_moderation_time",
                violation_error_message=_("A moderated report needs its time."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at", "id"]),
            models.Index(fields=["crossing", "state", "observed_at"]),
            models.Index(fields=["submitted_at"]),
            # The interval between e-mails reads the latest notification.
            models.Index(
                fields=["moderators_notified_at"], name="routes_report_notified"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.crossing.slug} {self.mode} {self.direction}"

    @property
    def wait_mode(self) -> str:
        """The crossing's wait this report counts towards (bicycles queue with cars)."""
        return "car" if self.mode == Mode.BICYCLE else self.mode
