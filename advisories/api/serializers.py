"""Serializers for the sources endpoint: one shape for advisory feeds and flight
price providers, so a dashboard lists them together."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from advisories.models import AdvisorySource
from routes.models import FlightProvider

HEALTH_FIELDS = [
    "kind",
    "key",
    "name",
    "issuer",
    "url",
    "enabled",
    "last_attempt_at",
    "last_success_at",
    "last_error_at",
    "last_error",
    "failing",
    "overdue",
    "items_seen",
    "items_changed",
]


class _HealthSerializer(serializers.ModelSerializer):
    failing = serializers.BooleanField(
        source="is_failing", read_only=True, help_text="The last attempt failed."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Enabled, but no successful fetch for 12 hours: data may be old."
    )

    def get_overdue(self, obj: AdvisorySource | FlightProvider) -> bool:
        return obj.is_overdue(self.context.get("now") or timezone.now())


class AdvisorySourceHealthSerializer(_HealthSerializer):
    kind = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)
    issuer = serializers.CharField(source="issuer.code", read_only=True)

    class Meta:
        model = AdvisorySource
        fields = HEALTH_FIELDS

    def get_kind(self, obj: AdvisorySource) -> str:
        return "advisories"


class FlightProviderHealthSerializer(_HealthSerializer):
    kind = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()

    class Meta:
        model = FlightProvider
        fields = HEALTH_FIELDS

    def get_kind(self, obj: FlightProvider) -> str:
        return "flights"

    def get_issuer(self, obj: FlightProvider) -> None:
        return None
