"""Border crossings, their audited history, exit routes, airports and flight reports.

A crossing's current state (status, waits, queue, last update) is written only by
routes.services.crossing_update_record; CrossingUpdate rows are append-only, which a
database trigger enforces (migration 0002).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pycountry
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

MAX_WAIT_MINUTES = 7 * 24 * 60  # a week: anything longer is a typo, not a queue
CURRENCY_CODES = tuple(sorted(c.alpha_3 for c in pycountry.currencies))


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


def _wait_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True})
        | Q(**{f"{name}__gte": 0, f"{name}__lte": MAX_WAIT_MINUTES}),
        name="%(app_label)s_%(class)s_" + name + "_range",
        violation_error_message=_("Wait must be between 0 and 10080 minutes."),
    )


def _coordinate_checks() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__gte=-90, latitude__lte=90),
            name="%(app_label)s_%(class)s_latitude_range",
            violation_error_message=_("Latitude must be between -90 and 90."),
        ),
        models.CheckConstraint(
            condition=Q(longitude__gte=-180, longitude__lte=180),
            name="%(app_label)s_%(class)s_longitude_range",
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
    # Issue 6: what each mode's wait rests on, so a figure can be labelled
    # "~6 h (median of 4 traveller reports, last 40 min ago)". Per mode:
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
            *(_wait_check(f"wait_{mode}") for mode in WAIT_MODES),
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
            *_coordinate_checks(),
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


class Airport(models.Model):
    """An airport that flights out of Russia leave from or arrive at."""

    iata = models.CharField(_("IATA code"), max_length=3, unique=True)
    icao = models.CharField(_("ICAO code"), max_length=4, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    city_en = models.CharField(_("city (English)"), max_length=120)
    city_ru = models.CharField(_("city (Russian)"), max_length=120)
    country = CountryField(_("country"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.URLField(_("reference"), max_length=500)

    class Meta:
        ordering = ["iata"]
        verbose_name = _("airport")
        verbose_name_plural = _("airports")
        constraints = [
            *_coordinate_checks(),
            models.CheckConstraint(
                condition=Q(iata__regex=r"^[A-Z]{3}$"),
                name="%(app_label)s_%(class)s_iata_format",
                violation_error_message=_("IATA code must be three capital letters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iata} {self.city_en}"

    @property
    def city(self) -> str:
        return localized(self, "city")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Seats available")
    FEW = "few", _("Few seats left")
    SOLD_OUT = "sold_out", _("Sold out")
    UNKNOWN = "unknown", _("Unknown")


class FlightReport(models.Model):
    """One observation of a flight's seats and price, from one source."""

    origin = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    departure_date = models.DateField(_("departure date"))
    airline = models.CharField(_("airline"), max_length=80, blank=True)
    flight_number = models.CharField(_("flight"), max_length=12, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.UNKNOWN,
    )
    seats = models.PositiveIntegerField(_("seats seen"), null=True, blank=True)
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    observed_at = models.DateTimeField(_("observed at"))
    source = models.CharField(_("source"), max_length=40)
    source_ref = models.CharField(_("source reference"), max_length=200)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["departure_date", "price"]
        verbose_name = _("flight report")
        verbose_name_plural = _("flight reports")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], name="routes_flight_source_ref_unique"
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0),
                name="routes_flight_price_positive",
                violation_error_message=_("Price must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=(Q(price__isnull=True) & Q(currency=""))
                | (Q(price__isnull=False) & Q(currency__in=CURRENCY_CODES)),
                name="routes_flight_currency_iso4217",
                violation_error_message=_(
                    "A price needs an ISO 4217 currency code (e.g. RUB, USD)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(availability__in=Availability.values),
                name="routes_flight_availability_valid",
                violation_error_message=_("Unknown availability."),
            ),
            models.CheckConstraint(
                condition=~Q(origin=models.F("destination")),
                name="routes_flight_distinct_airports",
                violation_error_message=_("Origin and destination must differ."),
            ),
            models.CheckConstraint(
                condition=~Q(availability="sold_out")
                | Q(seats__isnull=True)
                | Q(seats=0),
                name="routes_flight_sold_out_no_seats",
                violation_error_message=_("A sold-out flight cannot have seats."),
            ),
        ]
        indexes = [
            models.Index(fields=["origin", "destination", "departure_date"]),
            models.Index(fields=["departure_date", "price"]),
            # The API's flight summary groups by these, in this order: the
            # database walks the index and stops after one page of groups.
            models.Index(
                fields=["departure_date", "origin", "destination", "currency"],
                name="routes_flight_summary_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id}→{self.destination_id} {self.departure_date}"


# ---------------------------------------------------------------------------
# Traveller reports (issue 6): what people in the queue report, and the tokens
# of trusted volunteers who publish directly. Nothing here identifies an
# anonymous reporter: no address, user agent, cookie or other stable identifier
# is a field, and times are kept only to the 5 minutes shown in public.
# ---------------------------------------------------------------------------

MAX_QUEUE_POSITION = 100_000


class Direction(models.TextChoices):
    LEAVING = "leaving", _("Leaving Russia")
    ENTERING = "entering", _("Entering Russia")


class ReportState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What a traveller can see from the queue; "unknown" is not a report.
REPORTED_STATUSES = (Status.OPEN, Status.RESTRICTED, Status.CLOSED)


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
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
    # Both times are floored to 5 minutes before storage (see report_services).
    observed_at = models.DateTimeField(_("observed at"))
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(
        _("note"), blank=True, help_text=_("Phone numbers, e-mails, plates removed.")
    )
    language = models.CharField(_("language"), max_length=8, default="en")

    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ReportState.choices,
        default=ReportState.PENDING,
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
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
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
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
    # (routes.report_notify); set once the e-mail has gone.
    moderators_notified_at = models.DateTimeField(
        _("moderators notified at"), null=True, blank=True
    )

    objects = TravellerReportQuerySet.as_manager()

    class Meta:
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
            _wait_check("wait_minutes"),
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


# ---------------------------------------------------------------------------
# Flight price providers (background refresh): how each one's last runs went.
# ---------------------------------------------------------------------------


# No successful run for this long flags a source on the dashboard and in the admin.
SOURCE_OVERDUE_AFTER = timedelta(hours=12)


class SourceHealth(models.Model):
    """How an external source's last runs went (advisory feeds, flight providers).

    A subclass has an `enabled` field: a disabled source is never overdue.
    """

    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error"), null=True, blank=True)
    last_error = models.TextField(_("last error message"), blank=True)
    items_seen = models.PositiveIntegerField(_("items seen"), default=0)
    items_changed = models.PositiveIntegerField(_("items changed"), default=0)

    class Meta:
        abstract = True

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Enabled, yet no successful run for SOURCE_OVERDUE_AFTER (never counts)."""
        if not self.enabled:
            return False
        if self.last_success_at is None:
            return True
        return (now or timezone.now()) - self.last_success_at > SOURCE_OVERDUE_AFTER

    @property
    def is_failing(self) -> bool:
        """The most recent attempt failed."""
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at > self.last_success_at
        )


class FlightProvider(SourceHealth):
    """A flight price provider polled by the workers, and how its last runs went.

    Rows are created by the first refresh; `enabled` mirrors whether the provider
    is configured (credentials in the environment) as of that refresh.
    """

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("API URL"), max_length=500, blank=True)
    enabled = models.BooleanField(_("configured"), default=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("flight provider")
        verbose_name_plural = _("flight providers")

    def __str__(self) -> str:
        return self.name
