"""Serializer bases every app's API shares."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exitwatch.lib.api.base import UTCDateTimeField
from exitwatch.lib.source_health import SourceHealth


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.CharField):
    """A stored source link: a URL, or "" when there is none (a crossing nobody has
    reported on, a volunteer row without a link). Documented as such: a plain
    URLField would promise a URI and break clients that validate the format."""


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
        models.URLField: OptionalURLField,
    }


# The shape of GET /api/v1/sources/: every kind of source alike.
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


class SourceHealthSerializer(serializers.ModelSerializer):
    failing = serializers.BooleanField(
        source="is_failing", read_only=True, help_text="The last attempt failed."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Enabled, but no successful fetch for 12 hours: data may be old."
    )

    def get_overdue(self, obj: SourceHealth) -> bool:
        return obj.is_overdue(self.context.get("now") or timezone.now())
