"""API v1 representation of advisories with their revision history."""

from __future__ import annotations

from rest_framework import serializers

from advisories.models import Advisory, AdvisoryRevision
from routes.api.serializers import ApiModelSerializer


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
