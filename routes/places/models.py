"""Places a traveller may start from: regional capitals and airport cities.

A place is reference data, not a claim that changes over time: its row is
replaced when the seed is (routes.places.services.place_upsert, by slug), and
its coordinates say where they come from (`source_url`, `source_date`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from routes.models import coordinate_checks, localized


class PlaceKind(models.TextChoices):
    # A regional capital with an airport is a regional capital: the kind says
    # why the place is on the list, its airports say how it is served.
    REGIONAL_CAPITAL = "regional-capital", _("Regional capital")
    AIRPORT_CITY = "airport-city", _("City with an international airport")


class Place(models.Model):
    """An origin a traveller may start from: where it is, in which region, and
    which seeded airports (routes.flights.models.Airport) serve it, nearest
    first."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    region_en = models.CharField(_("region (English)"), max_length=120)
    region_ru = models.CharField(_("region (Russian)"), max_length=120)
    # ISO 3166-2: the standard's code is neutral where the region's own name
    # is disputed (UA-43 for Crimea).
    region_code = models.CharField(_("region code (ISO 3166-2)"), max_length=6)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    airports = models.JSONField(
        _("airports (IATA, nearest first)"), default=list, blank=True
    )
    source_url = models.URLField(_("source of the coordinates"), max_length=500)
    source_date = models.DateField(_("date of the source"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            *coordinate_checks(prefix="places_place"),
            models.CheckConstraint(
                condition=Q(kind__in=PlaceKind.values),
                name="places_place_kind_valid",
                violation_error_message=_("Unknown kind of place."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def region(self) -> str:
        return localized(self, "region")
