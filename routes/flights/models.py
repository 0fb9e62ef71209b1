"""Airports, flight reports (one observation each, from one source) and the price
providers polled for them.

The tables keep the names they had when these models lived in the routes app.
"""

from __future__ import annotations

import pycountry
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exitwatch.lib.source_health import SourceHealth
from routes.models import coordinate_checks, localized

CURRENCY_CODES = tuple(sorted(c.alpha_3 for c in pycountry.currencies))
# An airport's names and country, in the order the API and the seed file give them.
AIRPORT_NAME_FIELDS = ("name_en", "name_ru", "city_en", "city_ru", "country")


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
    # The Russian border checkpoint at the airport on Rosgranstroy's list, and
    # whether the list says it works: no working checkpoint, no flight abroad.
    # Both None when the list names none (or was never loaded). Written only by
    # routes.flights.services.airports_border_checkpoints_record.
    border_checkpoint_id = models.PositiveIntegerField(
        _("official border checkpoint id"), null=True, blank=True, editable=False
    )
    border_checkpoint_working = models.BooleanField(
        _("border checkpoint working"), null=True, blank=True, editable=False
    )

    class Meta:
        db_table = "routes_airport"
        ordering = ["iata"]
        verbose_name = _("airport")
        verbose_name_plural = _("airports")
        constraints = [
            *coordinate_checks(prefix="routes_airport"),
            models.CheckConstraint(
                condition=Q(iata__regex=r"^[A-Z]{3}$"),
                name="routes_airport_iata_format",
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


# What a report says about one flight on its route, in the order every list of
# reports gives it: the rows an import takes, the API, the bench's bulk load.
FLIGHT_DETAIL_FIELDS = (
    "departure_date",
    "airline",
    "flight_number",
    "availability",
    "seats",
    "price",
    "currency",
)


class ImportVia(models.TextChoices):
    API = "api", _("API")
    PROVIDER = "provider", _("Price provider")
    COMMAND = "command", _("Import command")


class FlightImportBatch(models.Model):
    """One write of flight reports for one source: who sent it, how and when, and
    what it changed. Written by routes.flights.services only for batches that
    changed something; each report points at the last batch that wrote it."""

    source = models.CharField(_("source"), max_length=40)
    via = models.CharField(_("via"), max_length=16, choices=ImportVia.choices)
    # The API account that sent the batch (none for providers and the command);
    # its name is kept apart so the record outlives the account.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    actor_label = models.CharField(_("by"), max_length=150)
    received_at = models.DateTimeField(_("received at"))
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("created"))
    updated = models.PositiveIntegerField(_("updated"))
    confirmed = models.PositiveIntegerField(_("confirmed"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("flight import batch")
        verbose_name_plural = _("flight import batches")
        indexes = [
            models.Index(
                fields=["source", "-received_at"], name="flights_batch_source_idx"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.source} by {self.actor_label} at {self.received_at:%Y-%m-%d %H:%M}"
        )


class FlightSourceGrant(models.Model):
    """A source whose flight reports an API account may write: a partner's token
    writes only the sources granted to its account, so it cannot overwrite
    another source's rows by naming that source."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="flight_source_grants",
        verbose_name=_("account"),
    )
    source = models.SlugField(_("source"), max_length=40)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        ordering = ["account_id", "source"]
        verbose_name = _("flight source grant")
        verbose_name_plural = _("flight source grants")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "source"], name="flights_grant_account_source"
            )
        ]

    def __str__(self) -> str:
        return self.source


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
    # The batch that last created, changed or confirmed the report; none for
    # reports written before batches were recorded.
    batch = models.ForeignKey(
        FlightImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("last written by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "routes_flightreport"
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
        db_table = "routes_flightprovider"
        ordering = ["key"]
        verbose_name = _("flight provider")
        verbose_name_plural = _("flight providers")

    def __str__(self) -> str:
        return self.name
