"""API v1 representations of crossings, history, routes, airports and flights.

Explicit fields only. Who recorded an update (a staff or partner account) is kept
for the audit in the admin, not published: naming the volunteers behind reports
about Russia's borders could endanger them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from routes.api.base import UTCDateTimeField
from routes.models import (
    CURRENCY_CODES,
    MAX_WAIT_MINUTES,
    Airport,
    Availability,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    FlightReport,
    Mode,
    SourceKind,
    Status,
)
from routes.selectors import crossing_feature, route_feature


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


class WaitsSerializer(serializers.Serializer):
    """Minutes of queue per mode; null when nobody reported it."""

    car = serializers.IntegerField(source="wait_car", allow_null=True)
    bus = serializers.IntegerField(source="wait_bus", allow_null=True)
    truck = serializers.IntegerField(source="wait_truck", allow_null=True)
    pedestrian = serializers.IntegerField(source="wait_pedestrian", allow_null=True)


class CrossingSerializer(ApiModelSerializer):
    country = serializers.CharField(source="country.code")
    modes = serializers.ListField(child=serializers.ChoiceField(Mode.choices))
    waits = WaitsSerializer(source="*")
    # Declared: ModelSerializer drops allow_blank on read-only fields, and the
    # schema must admit "" (a crossing nobody has reported on yet).
    last_source_kind = serializers.ChoiceField(
        SourceKind.choices, allow_blank=True, read_only=True
    )
    stale = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = BorderCrossing
        fields = [
            "slug",
            "name_en",
            "name_ru",
            "neighbour_name_en",
            "neighbour_name_ru",
            "country",
            "region_en",
            "region_ru",
            "latitude",
            "longitude",
            "kind",
            "modes",
            "status",
            "waits",
            "queue_length",
            "restrictions_en",
            "restrictions_ru",
            "hours",
            "note",
            "last_observed_at",
            "last_recorded_at",
            "last_source_kind",
            "last_source_url",
            "stale",
            "stale_after_minutes",
            "version",
            "source",
            "url",
        ]
        read_only_fields = fields

    def get_stale(self, crossing: BorderCrossing) -> bool:
        return crossing.is_stale(self.context.get("now"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, crossing: BorderCrossing) -> str:
        # Resolved once per response, not once per row.
        template = getattr(self, "_url_template", None)
        if template is None:
            template = self._url_template = _absolute(
                self, reverse("api:crossing-detail", args=["SLUG"])
            )
        return template.replace("SLUG", crossing.slug)


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class FeatureSerializer(serializers.BaseSerializer):
    """A read-only GeoJSON Feature built like the map snapshot's."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        now = self.context.get("now") or timezone.now()
        if isinstance(instance, BorderCrossing):
            return crossing_feature(instance, now)
        return route_feature(instance, instance.crossing, now)


class CrossingUpdateSerializer(ApiModelSerializer):
    waits = WaitsSerializer(source="*")

    class Meta:
        model = CrossingUpdate
        fields = [
            "id",
            "status",
            "previous_status",
            "waits",
            "queue_length",
            "note",
            "source_kind",
            "source_url",
            "observed_at",
            "recorded_at",
            "applied",
        ]
        read_only_fields = fields


class WaitsInputSerializer(serializers.Serializer):
    """Only the modes given change; null clears a wait."""

    car = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_WAIT_MINUTES
    )
    bus = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_WAIT_MINUTES
    )
    truck = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_WAIT_MINUTES
    )
    pedestrian = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_WAIT_MINUTES
    )


class CrossingUpdateInputSerializer(serializers.Serializer):
    """One observation; fields left out keep their current value."""

    status = serializers.ChoiceField(Status.choices, required=False)
    waits = WaitsInputSerializer(required=False)
    queue_length = serializers.IntegerField(
        required=False, allow_null=True, min_value=0
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    source_url = serializers.URLField(
        required=False, allow_blank=True, max_length=500, default=""
    )
    source_kind = serializers.ChoiceField(
        [SourceKind.PARTNER, SourceKind.OFFICIAL],
        required=False,
        help_text=_(
            "partner (default) or official when relaying an official statement; "
            "staff accounts record as staff."
        ),
    )
    observed_at = UTCDateTimeField(
        required=False, help_text=_("When it was seen (default: now).")
    )


class ExitRouteSerializer(ApiModelSerializer):
    crossing = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    crossing_status = serializers.ChoiceField(
        Status.choices, source="crossing.status", read_only=True
    )
    destination_country = serializers.CharField(source="destination_country.code")
    path = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2),
        help_text=_("GeoJSON LineString coordinates, [longitude, latitude]."),
    )

    class Meta:
        model = ExitRoute
        fields = [
            "slug",
            "name_en",
            "name_ru",
            "origin_en",
            "origin_ru",
            "crossing",
            "crossing_status",
            "destination_en",
            "destination_ru",
            "destination_country",
            "distance_km",
            "path",
            "note_en",
            "note_ru",
            "source",
        ]
        read_only_fields = fields


class AirportSerializer(ApiModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Airport
        fields = [
            "iata",
            "icao",
            "name_en",
            "name_ru",
            "city_en",
            "city_ru",
            "country",
            "latitude",
            "longitude",
            "note",
            "source",
        ]
        read_only_fields = fields


class FlightReportSerializer(ApiModelSerializer):
    origin = serializers.CharField(source="origin.iata")
    destination = serializers.CharField(source="destination.iata")
    destination_country = serializers.CharField(source="destination.country.code")

    class Meta:
        model = FlightReport
        fields = [
            "id",
            "origin",
            "destination",
            "destination_country",
            "departure_date",
            "airline",
            "flight_number",
            "availability",
            "seats",
            "price",
            "currency",
            "observed_at",
            "source",
            "source_ref",
            "source_url",
        ]
        read_only_fields = fields


class FlightSummarySerializer(serializers.Serializer):
    """One origin → destination on one day, in one currency."""

    origin = serializers.CharField(source="origin__iata")
    destination = serializers.CharField(source="destination__iata")
    destination_country = serializers.CharField(source="destination__country")
    departure_date = serializers.DateField()
    currency = serializers.CharField(
        help_text=_("ISO 4217; empty for reports without a price.")
    )
    min_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True
    )
    any_seats = serializers.BooleanField()
    seats_seen = serializers.IntegerField(
        allow_null=True, help_text=_("Most seats any report saw.")
    )
    reports = serializers.IntegerField()
    last_observed_at = UTCDateTimeField()


class FlightReportInputSerializer(serializers.Serializer):
    """One flight observation; (source, source_ref) is its identity."""

    origin = serializers.RegexField(r"^[A-Z]{3}$", help_text=_("IATA code"))
    destination = serializers.RegexField(r"^[A-Z]{3}$", help_text=_("IATA code"))
    departure_date = serializers.DateField()
    airline = serializers.CharField(max_length=80, required=False, allow_blank=True)
    flight_number = serializers.CharField(
        max_length=12, required=False, allow_blank=True
    )
    availability = serializers.ChoiceField(
        Availability.choices, required=False, default=Availability.UNKNOWN
    )
    seats = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
    )
    currency = serializers.ChoiceField(
        [(c, c) for c in CURRENCY_CODES], required=False, allow_blank=True
    )
    observed_at = UTCDateTimeField()
    source = serializers.SlugField(max_length=40)
    source_ref = serializers.CharField(max_length=200)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True)


class FlightBulkInputSerializer(serializers.Serializer):
    reports = FlightReportInputSerializer(many=True, allow_empty=False, max_length=500)


class FlightBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    confirmed = serializers.IntegerField(
        help_text=_("Same values seen again later: only the observation time moved.")
    )
    unchanged = serializers.IntegerField()
    ignored_older = serializers.IntegerField(
        source="older",
        help_text=_("Older than the report already stored for that ref."),
    )
