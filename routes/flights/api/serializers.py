"""API v1 representations of airports, flight reports and flight providers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from exitwatch.lib.api.base import UTCDateTimeField
from exitwatch.lib.api.serializers import (
    HEALTH_FIELDS,
    ApiModelSerializer,
    SourceHealthSerializer,
)
from routes.flights.models import (
    AIRPORT_NAME_FIELDS,
    CURRENCY_CODES,
    FLIGHT_DETAIL_FIELDS,
    Airport,
    Availability,
    FlightProvider,
    FlightReport,
)


class AirportSerializer(ApiModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Airport
        fields = [
            "iata",
            "icao",
            *AIRPORT_NAME_FIELDS,
            "latitude",
            "longitude",
            "note",
            "source",
            "border_checkpoint_id",
            "border_checkpoint_working",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "border_checkpoint_id": {
                "help_text": _(
                    "Rosgranstroy's id of the Russian border checkpoint at the "
                    "airport; null when the official list names none."
                )
            },
            "border_checkpoint_working": {
                "help_text": _(
                    "Whether the official list says that checkpoint works "
                    "(the Russian side only); null when unknown."
                )
            },
        }


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
            *FLIGHT_DETAIL_FIELDS,
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


class FlightRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    refused_sources = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("The sources this token's account may not write."),
    )


class FlightProviderHealthSerializer(SourceHealthSerializer):
    kind = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()

    class Meta:
        model = FlightProvider
        fields = HEALTH_FIELDS

    def get_kind(self, obj: FlightProvider) -> str:
        return "flights"

    def get_issuer(self, obj: FlightProvider) -> None:
        return None
