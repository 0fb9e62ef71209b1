"""Change events, partners' webhook subscriptions and the deliveries between them.

An Event says that something a traveller cares about changed: a crossing's
status, a wait passing a subscriber's threshold, an advisory's level, a curated
entry rule. Events are made by the tasks in alerts.tasks from the rows the write
paths record (sent through the outbox in the same transaction as those rows), are
append-only (a database trigger refuses UPDATE, and DELETE on PostgreSQL:
migration 0002) and unique per source row, so a task sent twice makes one event.

A Subscription is a partner's webhook endpoint and what it wants to hear of; a
Delivery is one event on its way to one subscription, with its attempts. The
delivery row is its own outbox: a delivery whose task was lost is found by the
periodic sweep (alerts.tasks.send_due_webhooks).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.observed import NEWS_WINDOW
from routes.models import BorderCrossing


class EventKind(models.TextChoices):
    STATUS_CHANGE = "status_change", _("Crossing status changed")
    WAIT_THRESHOLD = "wait_threshold", _("Wait passed a threshold")
    ADVISORY_LEVEL = "advisory_level", _("Advisory level changed")
    ENTRY_RULE = "entry_rule", _("Entry rule recorded")


# The webhook body's `type` for each kind: Standard Webhooks recommends
# full-stop delimited, hierarchical names.
EVENT_TYPES = {
    EventKind.STATUS_CHANGE: "crossing.status_changed",
    EventKind.WAIT_THRESHOLD: "crossing.wait_threshold",
    EventKind.ADVISORY_LEVEL: "advisory.level_changed",
    EventKind.ENTRY_RULE: "entry_rule.recorded",
}


class Direction(models.TextChoices):
    NONE = "", _("—")
    OVER = "over", _("Over the threshold")
    UNDER = "under", _("Back under the threshold")


class Event(models.Model):
    """One change worth telling partners of; append-only, one per source row.

    `source_id` is the row it was made from: a CrossingUpdate (status_change,
    wait_threshold), an AdvisoryRevision (advisory_level) or an EntryRule
    (entry_rule). A wait_threshold event is also keyed by its mode, threshold
    and direction: one update may take the car wait over 360 minutes and the
    truck wait under 600. `payload` says what changed, in plain JSON values.
    """

    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    crossing = models.ForeignKey(
        BorderCrossing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The crossing's neighbour, the advisory's destination or the rule's
    # destination (which may be a code outside ISO 3166: AB, OS, XK).
    country = models.CharField(_("country"), max_length=2, blank=True)
    payload = models.JSONField(_("what changed"), default=dict)
    occurred_at = models.DateTimeField(_("occurred at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    source_id = models.PositiveBigIntegerField(_("source row"))
    mode = models.CharField(_("mode"), max_length=16, blank=True, default="")
    threshold_minutes = models.PositiveIntegerField(_("threshold (min)"), default=0)
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Direction.choices,
        blank=True,
        default=Direction.NONE,
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_id", "mode", "threshold_minutes", "direction"],
                name="alerts_event_natural_key",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="alerts_event_kind_valid",
                violation_error_message=_("Unknown kind of event."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.webhook_id}"

    @property
    def is_news(self) -> bool:
        """Whether it is worth telling anyone now: a change observed long
        before it was recorded is history being filled in (a seed, a backfill
        of an archive), kept as an event but sent to nobody."""
        return self.recorded_at - self.occurred_at <= NEWS_WINDOW

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` of every delivery of this event: stable across retries."""
        return f"msg_{self.public_id.hex}"


class PauseReason(models.TextChoices):
    NONE = "", _("—")
    FAILING = "failing", _("Deliveries failed for days")
    GONE = "gone", _("The endpoint answered 410 Gone")


class Subscription(models.Model):
    """A partner's webhook endpoint and the events it wants.

    Empty filters mean "all". An event matches when its kind is in `kinds` and
    it is about one of `crossings` (slugs) or `countries` (codes); a crossing's
    events also match by the crossing's country. `wait_threshold_minutes` maps a mode
    to minutes: the subscription hears when that mode's wait goes over it, and
    when it comes back under (alerts.events: the hysteresis margin).
    """

    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    target_url = models.URLField(_("target URL"), max_length=500)
    # Needed in the clear to sign each delivery; shown to the owner only once.
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    crossings = models.JSONField(_("crossings"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    wait_threshold_minutes = models.JSONField(
        _("wait thresholds (min)"), default=dict, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    # The first failure since the last success: what "failing for days" counts.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    pause_reason = models.CharField(
        _("why paused"),
        max_length=16,
        choices=PauseReason.choices,
        blank=True,
        default=PauseReason.NONE,
    )
    owner_notified_at = models.DateTimeField(
        _("owner told of the pause"), null=True, blank=True
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.target_url} ({self.owner_id})"

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    def matches(self, *, kind: str, crossing_slug: str, country: str) -> bool:
        """Whether an event of `kind` about this crossing or country is wanted."""
        if self.kinds and kind not in self.kinds:
            return False
        if not (self.crossings or self.countries):
            return True
        return (bool(crossing_slug) and crossing_slug in self.crossings) or (
            bool(country) and country in self.countries
        )


class WaitState(models.Model):
    """Whether one mode's wait at one crossing is over one subscription's
    threshold, as of the newest update seen: what makes "over" fire once, not
    on every report above it. Locked (select_for_update) while it changes."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="+"
    )
    crossing = models.ForeignKey(
        BorderCrossing, on_delete=models.CASCADE, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=16)
    over = models.BooleanField(_("over the threshold"), default=False)
    # The newest update applied, so an older one arriving late changes nothing.
    last_update_id = models.PositiveBigIntegerField(default=0)
    last_observed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wait state")
        verbose_name_plural = _("wait states")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "crossing", "mode"],
                name="alerts_waitstate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}/{self.crossing_id}/{self.mode}: {self.over}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(models.QuerySet):
    def due(self, now: datetime) -> DeliveryQuerySet:
        """Pending, due, claimed by nobody (or by a run long dead), and for a
        subscription that is not paused."""
        return self.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            subscription__paused_at__isnull=True,
        )


class Delivery(models.Model):
    """One event on its way to one subscription, and how its attempts went."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A run that claimed the row owns it until then (alerts.delivery).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="alerts_delivery_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values),
                name="alerts_delivery_state_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="alerts_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.state})"
