"""Who may cross where: a crossing side's access, dated and sourced.

A rule states one side's whole access from `valid_from` (the ways to cross a
traveller may use, which travellers, which vehicles are turned back, the
hours), not a change to the rule before it: the newest rule for a crossing and
side at a moment is the one in force. Like a status, a rule is a claim: it says
who says so and where. Rules are append-only (a database trigger refuses
UPDATE, and DELETE on PostgreSQL); a change is a new rule. They are written
only by routes.access.services.access_rule_record.

The crossing's `allows_*` flags stay what the map draws today; these rules say
more, and say when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routes.states import Side, SourceKind


class AccessMode(models.TextChoices):
    """Ways a traveller crosses a border (a truck is freight, not a traveller)."""

    CAR = "car", _("Car")
    BUS = "bus", _("Bus")
    FOOT = "foot", _("On foot")
    BICYCLE = "bicycle", _("Bicycle")
    TRAIN = "train", _("Train")


class Who(models.TextChoices):
    """Which travellers a side lets through ("" in a rule: not known)."""

    ANYONE = "anyone", _("Anyone with valid documents")
    # The official "bilateral" status: only citizens of Russia and of the
    # neighbour; a third country's citizen is turned back.
    BILATERAL = "bilateral", _("Only citizens of Russia and the neighbour")
    NOBODY = "nobody", _("No travellers")


class VehicleRule(models.TextChoices):
    """Vehicles a side turns back whoever drives them."""

    NONE = "", _("None known")
    # EU sanctions guidance of September 2023: a car registered in Russia is a
    # banned import, even for a trip.
    RU_REGISTERED = "ru-registered", _("Cars registered in Russia")
    # Norway's rule, as the project names it: cars of Russians, with Russian
    # plates.
    RU_OWNED = "ru-owned", _("Cars owned by Russians or with Russian plates")


# The two sides a rule is about (no "both", no "none": a rule is one side's).
SIDE_CHOICES = [
    (Side.RUSSIAN.value, Side.RUSSIAN.label),
    (Side.NEIGHBOUR.value, Side.NEIGHBOUR.label),
]
SIDES = tuple(value for value, _label in SIDE_CHOICES)
# Who may state a rule: the operator's list or a government (official), staff,
# a partner with a token. Travellers report what happened; they set no rule.
SOURCE_KIND_CHOICES = [
    (kind.value, kind.label)
    for kind in (SourceKind.OFFICIAL, SourceKind.STAFF, SourceKind.PARTNER)
]
SOURCE_KINDS = tuple(value for value, _label in SOURCE_KIND_CHOICES)
MAX_HOURS_LENGTH = 120


class CrossingAccessRule(models.Model):
    """One side's whole access at a crossing from `valid_from`, and its source.

    `modes` is a sorted list of AccessMode values a traveller may use on that
    side, [] for none; None (like "" in `who` and `hours`) means this rule's
    source does not say.
    """

    crossing = models.ForeignKey(
        "routes.BorderCrossing", on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("side"), max_length=16, choices=SIDE_CHOICES)
    valid_from = models.DateTimeField(_("valid from"))
    modes = models.JSONField(_("ways to cross"), null=True, blank=True)
    who = models.CharField(
        _("who may cross"), max_length=16, choices=Who.choices, blank=True
    )
    vehicles_refused = models.CharField(
        _("vehicles turned back"),
        max_length=16,
        choices=VehicleRule.choices,
        blank=True,
    )
    hours = models.CharField(_("hours"), max_length=MAX_HOURS_LENGTH, blank=True)
    source_kind = models.CharField(
        _("source"), max_length=16, choices=SOURCE_KIND_CHOICES
    )
    source_url = models.URLField(_("source URL"), max_length=500)
    note_en = models.TextField(_("note (English)"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        ordering = ["crossing", "side", "-valid_from", "-id"]
        verbose_name = _("access rule")
        verbose_name_plural = _("access rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=SIDES),
                name="access_rule_side_valid",
                violation_error_message=_("Unknown side."),
            ),
            models.CheckConstraint(
                condition=Q(who__in=Who.values) | Q(who=""),
                name="access_rule_who_valid",
                violation_error_message=_("Unknown kind of traveller."),
            ),
            models.CheckConstraint(
                condition=Q(vehicles_refused__in=VehicleRule.values),
                name="access_rule_vehicles_valid",
                violation_error_message=_("Unknown vehicle rule."),
            ),
            models.CheckConstraint(
                condition=Q(source_kind__in=SOURCE_KINDS),
                name="access_rule_source_valid",
                violation_error_message=_("Unknown source kind."),
            ),
        ]
        indexes = [
            # The rule in force for a side at a moment: one index seek.
            models.Index(
                fields=["crossing", "side", "-valid_from", "-id"],
                name="access_rule_at",
            )
        ]

    def __str__(self) -> str:
        return f"{self.crossing_id}/{self.side} from {self.valid_from:%Y-%m-%d}"
