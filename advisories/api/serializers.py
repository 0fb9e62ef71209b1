"""API v1 representation of advisories with their revision history, and of the
advisory feeds' health (in the shape every source shares)."""

from __future__ import annotations

from rest_framework import serializers

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from exitwatch.lib.api.serializers import (
    HEALTH_FIELDS,
    ApiModelSerializer,
    SourceHealthSerializer,
)


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


class AdvisorySourceHealthSerializer(SourceHealthSerializer):
    kind = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)
    issuer = serializers.CharField(source="issuer.code", read_only=True)

    class Meta:
        model = AdvisorySource
        fields = HEALTH_FIELDS

    def get_kind(self, obj: AdvisorySource) -> str:
        return "advisories"
