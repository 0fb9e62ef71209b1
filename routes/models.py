"""Border crossings, their audited history and exit routes.

A crossing's current state (status, waits, queue, last update) is written only by
routes.services.crossing_update_record; CrossingUpdate rows are append-only, which a
database trigger enforces (migration 0002).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# The state vocabulary lives in routes.states; imported here, where the
# models use it, and where the rest of the code has always found it.
from routes.states import (  # noqa: F401
    SIDE_FACT_FIELDS,
    SIDE_PREFIX,
    SIDE_STATE_FIELDS,
    SIDES,
    STRICTNESS,
    WAIT_MODES,
    CrossingKind,
    DeFacto,
    Mode,
    Side,
    SourceKind,
    Status,
    combined_status,
    stricter,
)

MAX_WAIT_MINUTES = 7 * 24 * 60  # a week: anything longer is a typo, not a queue
# The note of a crossing update (staff, partners, official statements): why the
# state changed and where it was seen. The service, the API and the admin forms
# all read this one limit. A traveller's note has its own (reports.models).
MAX_UPDATE_NOTE_LENGTH = 2000

# A crossing's names, country and region, in the order every list of crossings
# gives them: the API, the reference data staff edit, the seed files.
CROSSING_NAME_FIELDS = (
    "name_en",
    "name_ru",
    "neighbour_name_en",
    "neighbour_name_ru",
    "country",
    "region_en",
    "region_ru",
)


def localized(obj: object, field: str) -> str:
    """The Russian or English variant of `field` for the active language."""
    lang = (get_language() or "en")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang == "ru" else ""
    return value or getattr(obj, f"{field}_en")


def wait_check(
    name: str, *, prefix: str = "%(app_label)s_%(class)s"
) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True})
        | Q(**{f"{name}__gte": 0, f"{name}__lte": MAX_WAIT_MINUTES}),
        name=f"{prefix}_{name}_range",
        violation_error_message=_("Wait must be between 0 and 10080 minutes."),
    )


def coordinate_checks(
    *, prefix: str = "%(app_label)s_%(class)s"
) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
            violation_error_message=_("Latitude must be between -90 and 90."),
        ),
        models.CheckConstraint(
            condition=Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
            violation_error_message=_("Longitude must be between -180 and 180."),
        ),
    ]


class WaitFields(models.Model):
    """Wait minutes per mode and the queue: shared by a crossing and its history."""

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNKNOWN
    )
    wait_car = models.PositiveIntegerField(_("car wait (min)"), null=True, blank=True)
    wait_bus = models.PositiveIntegerField(_("bus wait (min)"), null=True, blank=True)
    wait_truck = models.PositiveIntegerField(
        _("truck wait (min)"), null=True, blank=True
    )
    wait_pedestrian = models.PositiveIntegerField(
        _("pedestrian wait (min)"), null=True, blank=True
    )
    queue_length = models.PositiveIntegerField(
        _("queue (vehicles)"), null=True, blank=True
    )
    # What each mode's wait rests on, so a figure can be labelled
    # "6 h 10 min (median of 4 traveller reports, last 40 min ago)". Per mode:
    # {"source_kind": ..., and for traveller medians "count", "last_observed_at",
    # "window_minutes"}. Written only by crossing_update_record, like the waits.
    wait_basis = models.JSONField(
        _("wait basis"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            *(wait_check(f"wait_{mode}") for mode in WAIT_MODES),
        ]

    @property
    def waits(self) -> dict[str, int | None]:
        return {mode: getattr(self, f"wait_{mode}") for mode in WAIT_MODES}


class BorderCrossingQuerySet(models.QuerySet):
    def allowing(self, mode: str) -> BorderCrossingQuerySet:
        return self.filter(**{f"allows_{mode}": True})

    def stale(self, now: datetime | None = None) -> BorderCrossingQuerySet:
        """Crossings whose last report is older than their threshold (or never came)."""
        # Thresholds differ per crossing and are small in number, so compare per
        # distinct threshold instead of relying on interval arithmetic in SQL,
        # which SQLite lacks.
        now = now or timezone.now()
        stale = Q(last_observed_at__isnull=True)
        for minutes in (
            self.order_by().values_list("stale_after_minutes", flat=True).distinct()
        ):
            stale |= Q(stale_after_minutes=minutes) & Q(
                last_observed_at__lt=now - timedelta(minutes=minutes)
            )
        return self.filter(stale)


class BorderCrossing(WaitFields):
    """A border checkpoint out of Russia and its current, last-reported state."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    neighbour_name_en = models.CharField(_("other side (English)"), max_length=120)
    neighbour_name_ru = models.CharField(_("other side (Russian)"), max_length=120)
    country = CountryField(_("neighbour country"))
    region_en = models.CharField(_("Russian region (English)"), max_length=120)
    region_ru = models.CharField(_("Russian region (Russian)"), max_length=120)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    kind = models.CharField(_("kind"), max_length=16, choices=CrossingKind.choices)
    allows_car = models.BooleanField(_("cars"), default=False)
    allows_bus = models.BooleanField(_("buses"), default=False)
    allows_truck = models.BooleanField(_("trucks"), default=False)
    allows_pedestrian = models.BooleanField(_("pedestrians"), default=False)
    allows_bicycle = models.BooleanField(_("bicycles"), default=False)
    hours = models.CharField(_("opening hours"), max_length=60, blank=True)
    restrictions_en = models.TextField(_("restrictions (English)"), blank=True)
    restrictions_ru = models.TextField(_("restrictions (Russian)"), blank=True)
    source = models.URLField(_("reference"), max_length=500)
    stale_after_minutes = models.PositiveIntegerField(
        _("stale after (min)"), default=360
    )
    # Rosgranstroy's id of the checkpoint (https://rosgranstroy.ru/api/map_data):
    # the official feed finds its crossing by it. None for crossings the
    # official list lacks (the roads into Belarus).
    official_id = models.PositiveIntegerField(
        _("official checkpoint id"), null=True, blank=True, unique=True
    )
    de_facto = models.CharField(
        _("de facto border of"),
        max_length=20,
        choices=DeFacto.choices,
        blank=True,
        default=DeFacto.NONE,
    )
    # Where the map point comes from and, when it is not the official point, why
    # the official point is wrong.
    coord_source = models.TextField(_("coordinates: source"), blank=True)
    # The map point is not the official one (coord_source says why); otherwise
    # it follows the official point wherever the official list moves it.
    coord_override = models.BooleanField(_("own map point"), default=False)

    # The Russian side's published facts, written only by crossing_update_record
    # (from the official list or staff), each kept in the history with its date.
    cargo_only = models.BooleanField(_("cargo only"), default=False)
    bilateral = models.BooleanField(_("bilateral"), null=True, blank=True)
    hours_text_ru = models.TextField(_("official working hours (Russian)"), blank=True)
    official_latitude = models.FloatField(_("official latitude"), null=True, blank=True)
    official_longitude = models.FloatField(
        _("official longitude"), null=True, blank=True
    )

    # Each side's own last claim; `status` is the stricter of the two.
    ru_status = models.CharField(
        _("Russian side"), max_length=16, choices=Status.choices, default=Status.UNKNOWN
    )
    ru_observed_at = models.DateTimeField(
        _("Russian side observed"), null=True, blank=True
    )
    ru_source_kind = models.CharField(
        _("Russian side source"), max_length=16, choices=SourceKind.choices, blank=True
    )
    ru_source_url = models.URLField(
        _("Russian side source URL"), max_length=500, blank=True
    )
    ru_note = models.TextField(_("Russian side note"), blank=True)
    ru_note_ru = models.TextField(_("Russian side note (Russian)"), blank=True)
    neighbour_status = models.CharField(
        _("neighbour's side"),
        max_length=16,
        choices=Status.choices,
        default=Status.UNKNOWN,
    )
    neighbour_observed_at = models.DateTimeField(
        _("neighbour's side observed"), null=True, blank=True
    )
    neighbour_source_kind = models.CharField(
        _("neighbour's side source"),
        max_length=16,
        choices=SourceKind.choices,
        blank=True,
    )
    neighbour_source_url = models.URLField(
        _("neighbour's side source URL"), max_length=500, blank=True
    )
    neighbour_note = models.TextField(_("neighbour's side note"), blank=True)
    neighbour_note_ru = models.TextField(
        _("neighbour's side note (Russian)"), blank=True
    )
    # When the claim behind `status` was made: what "last known N days ago" counts.
    status_observed_at = models.DateTimeField(
        _("status observed"), null=True, blank=True
    )

    # Current state, written only by routes.services.crossing_update_record.
    note = models.TextField(_("latest note"), blank=True)
    last_observed_at = models.DateTimeField(_("last observed"), null=True, blank=True)
    last_recorded_at = models.DateTimeField(_("last recorded"), null=True, blank=True)
    last_source_kind = models.CharField(
        _("last source"), max_length=16, choices=SourceKind.choices, blank=True
    )
    last_source_url = models.URLField(_("last source URL"), max_length=500, blank=True)
    last_actor_label = models.CharField(
        _("last updated by"), max_length=150, blank=True
    )
    # Bumped by every write; the admin and the API refuse a save made against an
    # older version instead of silently overwriting someone else's edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BorderCrossingQuerySet.as_manager()

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("border crossing")
        verbose_name_plural = _("border crossings")
        permissions = [("update_status", _("Can record a crossing status update"))]
        constraints = [
            *WaitFields.Meta.constraints,
            *coordinate_checks(),
            models.CheckConstraint(
                condition=Q(kind__in=CrossingKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Unknown kind of crossing."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{side}_status__in": Status.values}),
                    name=f"%(app_label)s_%(class)s_{side}_status_valid",
                    violation_error_message=_("Unknown status."),
                )
                for side in SIDE_PREFIX.values()
            ),
        ]
        indexes = [models.Index(fields=["country", "status"])]

    def __str__(self) -> str:
        return f"{self.name_en} – {self.neighbour_name_en} ({self.country.code})"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def neighbour_name(self) -> str:
        return localized(self, "neighbour_name")

    @property
    def restrictions(self) -> str:
        return localized(self, "restrictions")

    @property
    def modes(self) -> list[str]:
        return [m for m in Mode.values if getattr(self, f"allows_{m}")]

    def side_state(self, side: str) -> dict[str, Any]:
        """One side's last claim: status, when, from whom, where, and its note."""
        prefix = SIDE_PREFIX[Side(side)]
        return {
            field: getattr(self, f"{prefix}_{field}") for field in SIDE_STATE_FIELDS
        }

    def is_stale(self, now: datetime | None = None) -> bool:
        if self.last_observed_at is None:
            return True
        now = now or timezone.now()
        return now - self.last_observed_at > timedelta(minutes=self.stale_after_minutes)


class CrossingUpdate(WaitFields):
    """One observation of a crossing: append-only history with its provenance.

    The wait fields hold the crossing's state as of this observation (what was
    reported, merged over what was known before), so "status at time T" is the
    newest row observed at or before T.
    """

    crossing = models.ForeignKey(
        BorderCrossing, on_delete=models.PROTECT, related_name="updates"
    )
    previous_status = models.CharField(
        _("previous status"), max_length=16, choices=Status.choices
    )
    note = models.TextField(_("note"), blank=True)
    # The same note in Russian, when whoever recorded it wrote one (the dated
    # story ships both); `note` is then the English.
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    source_kind = models.CharField(
        _("source"), max_length=16, choices=SourceKind.choices
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    observed_at = models.DateTimeField(_("observed at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    # False when the observation is older than the crossing's current state: kept
    # in history, but it did not change what the map shows.
    applied = models.BooleanField(_("applied"), default=True)
    # Which side `status` is a claim about ("" when the row claims no status and
    # `status` only carries the crossing's status on).
    side = models.CharField(
        _("side"), max_length=16, choices=Side.choices, blank=True, default=Side.NONE
    )
    # The side's published facts as observed (keys of SIDE_FACT_FIELDS), when the
    # observation carried any: hours, bilateral, cargo only, official point.
    facts = models.JSONField(_("facts"), null=True, blank=True)

    class Meta:
        ordering = ["-observed_at", "-id"]
        verbose_name = _("crossing update")
        verbose_name_plural = _("crossing updates")
        get_latest_by = "observed_at"
        constraints = [
            *WaitFields.Meta.constraints,
            models.CheckConstraint(
                condition=Q(source_kind__in=SourceKind.values),
                name="%(app_label)s_%(class)s_source_kind_valid",
                violation_error_message=_("Unknown source kind."),
            ),
            models.CheckConstraint(
                condition=Q(side__in=Side.values),
                name="%(app_label)s_%(class)s_side_valid",
                violation_error_message=_("Unknown side."),
            ),
        ]
        indexes = [
            models.Index(fields=["crossing", "-observed_at", "-id"]),
            # A side's claim at a moment: one index seek per crossing and side.
            models.Index(
                fields=["crossing", "side", "-observed_at", "-id"],
                name="routes_update_side_at",
            ),
            # The Russian side's published facts at a moment: the few rows that
            # carry them, without walking past the many that do not.
            models.Index(
                fields=["crossing", "-observed_at", "-id"],
                condition=Q(facts__isnull=False),
                name="routes_update_facts_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crossing.slug} {self.status} @ {self.observed_at:%Y-%m-%d %H:%M}"


class ExitRoute(models.Model):
    """A way out: origin city → crossing → destination, with a line to draw."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    origin_en = models.CharField(_("origin (English)"), max_length=120)
    origin_ru = models.CharField(_("origin (Russian)"), max_length=120)
    crossing = models.ForeignKey(
        BorderCrossing, on_delete=models.PROTECT, related_name="routes"
    )
    destination_en = models.CharField(_("destination (English)"), max_length=120)
    destination_ru = models.CharField(_("destination (Russian)"), max_length=120)
    destination_country = CountryField(_("destination country"))
    distance_km = models.PositiveIntegerField(_("distance (km)"), null=True, blank=True)
    # GeoJSON LineString coordinates: [[lon, lat], ...]
    path = models.JSONField(_("path"))
    note_en = models.TextField(_("note (English)"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    source = models.URLField(_("reference"), max_length=500)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("exit route")
        verbose_name_plural = _("exit routes")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localized(self, "name")
