"""Border crossings, their audited history and exit routes.

A crossing's current state (status, waits, queue, last update) is written only by
routes.services.crossing_update_record; CrossingUpdate rows are append-only, which a
database trigger enforces (migration 0002).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

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


class Status(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    OPEN = "open", _("Open")
    RESTRICTED = "restricted", _("Restricted")
    CLOSED = "closed", _("Closed")


class CrossingKind(models.TextChoices):
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    PEDESTRIAN = "pedestrian", _("Pedestrian")
    RIVER = "river", _("River (ferry or pontoon)")
    SEA = "sea", _("Sea port")


class Mode(models.TextChoices):
    """Ways to cross; each has its own queue and wait."""

    CAR = "car", _("Car")
    BUS = "bus", _("Bus")
    TRUCK = "truck", _("Truck")
    PEDESTRIAN = "pedestrian", _("On foot")
    BICYCLE = "bicycle", _("Bicycle")


# Modes whose wait is tracked on the crossing itself (a bicycle joins the car queue).
WAIT_MODES = ("car", "bus", "truck", "pedestrian")


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")
    TRAVELLER = "traveller", _("Traveller")
    FEED = "feed", _("Feed")


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
        ]
        indexes = [models.Index(fields=["crossing", "-observed_at", "-id"])]

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
