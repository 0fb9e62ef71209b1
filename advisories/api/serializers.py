"""API v1 representation of advisories with their revision history, and of the
health of every source (advisory feeds and flight price providers in one shape, so
a dashboard lists them together)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from routes.api.serializers import ApiModelSerializer
from routes.models import FlightProvider


class AdvisoryRevisionSerializer(ApiModelSerializer):
    class Meta:
        model = AdvisoryRevision
        fields = [
            "change",
            "level",
            "level_text",
            "title",
            "summary",
            "published_at",
            "recorded_at",
        ]
        read_only_fields = fields


class AdvisorySerializer(ApiModelSerializer):
    source = serializers.CharField(source="source.key")
    source_name_en = serializers.CharField(source="source.name_en")
    source_name_ru = serializers.CharField(source="source.name_ru")
    issuer = serializers.CharField(source="source.issuer.code")
    target_country = serializers.CharField(source="target_country.code")
    revisions = AdvisoryRevisionSerializer(many=True, read_only=True)

    class Meta:
        model = Advisory
        fields = [
            "id",
            "source",
            "source_name_en",
            "source_name_ru",
            "issuer",
            "target_country",
            "level",
            "level_text",
            "title",
            "summary",
            "body",
            "url",
            "published_at",
            "fetched_at",
            "changed_at",
            "revisions",
        ]
        read_only_fields = fields


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
