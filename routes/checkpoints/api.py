"""API v1 representation of the official checkpoint list's health."""

from __future__ import annotations

from rest_framework import serializers

from exitwatch.lib.api.serializers import HEALTH_FIELDS, SourceHealthSerializer
from routes.checkpoints.models import OfficialListSource


class OfficialListHealthSerializer(SourceHealthSerializer):
    kind = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()

    class Meta:
        model = OfficialListSource
        fields = HEALTH_FIELDS

    def get_kind(self, obj: OfficialListSource) -> str:
        return "checkpoints"

    def get_issuer(self, obj: OfficialListSource) -> str:
        # The list is the Russian state's own word about its side of the border.
        return "RU"
