"""API v1 representations of crossings, their history and exit routes.

Explicit fields only. Who recorded an update (a staff or partner account) is kept
for the audit in the admin, not published: naming the volunteers behind reports
about Russia's borders could endanger them.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exitwatch.lib.api.base import UTCDateTimeField
from exitwatch.lib.api.serializers import ApiModelSerializer, OptionalURLField
from routes.models import (
    CROSSING_NAME_FIELDS,
    MAX_UPDATE_NOTE_LENGTH,
    MAX_WAIT_MINUTES,
    BorderCrossing,
    CrossingUpdate,
    DeFacto,
    ExitRoute,
    Mode,
    Side,
    SourceKind,
    Status,
)
from routes.selectors import crossing_feature, route_feature
from routes.validation import MAX_QUEUE_LENGTH


class WaitsSerializer(serializers.Serializer):
    """Minutes of queue per mode; null when nobody reported it."""

    car = serializers.IntegerField(source="wait_car", allow_null=True)
    bus = serializers.IntegerField(source="wait_bus", allow_null=True)
    truck = serializers.IntegerField(source="wait_truck", allow_null=True)
    pedestrian = serializers.IntegerField(source="wait_pedestrian", allow_null=True)


def _side_serializer(prefix: str, name: str, doc: str) -> type[serializers.Serializer]:
    """The serializer of one side's last claim, read from `<prefix>_*` fields."""
    fields = {
        "status": serializers.ChoiceField(
            Status.choices, source=f"{prefix}_status", read_only=True
        ),
        "observed_at": UTCDateTimeField(
            source=f"{prefix}_observed_at", allow_null=True, read_only=True
        ),
        "source_kind": serializers.ChoiceField(
            SourceKind.choices,
            allow_blank=True,
            source=f"{prefix}_source_kind",
            read_only=True,
        ),
        "source_url": OptionalURLField(source=f"{prefix}_source_url", read_only=True),
        "note": serializers.CharField(source=f"{prefix}_note", read_only=True),
    }
    return type(name, (serializers.Serializer,), {**fields, "__doc__": doc})


RussianSideSerializer = _side_serializer(
    "ru",
    "RussianSideSerializer",
    "The Russian side's last claim: its status, when it was observed, its "
    "source and note (unknown and blank until someone made one).",
)
NeighbourSideSerializer = _side_serializer(
    "neighbour",
    "NeighbourSideSerializer",
    "The neighbour's side's last claim, as for the Russian side.",
)


class SidesSerializer(serializers.Serializer):
    """Each side's own last claim; a crossing's `status` is the stricter of the
    two (closed, restricted, unknown, open)."""

    ru = RussianSideSerializer(source="*", read_only=True)
    neighbour = NeighbourSideSerializer(source="*", read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": (
            "The side's published facts as observed, when the update carried any."
        ),
        "properties": {
            "hours": {"type": "string"},
            "hours_text_ru": {"type": "string"},
            "bilateral": {"type": "boolean", "nullable": True},
            "cargo_only": {"type": "boolean"},
            "latitude": {"type": "number"},
            "longitude": {"type": "number"},
        },
        "additionalProperties": False,
    }
)
class FactsField(serializers.JSONField):
    """An update's facts (keys of routes.models.SIDE_FACT_FIELDS) or null."""


class CrossingSerializer(ApiModelSerializer):
    country = serializers.CharField(source="country.code")
    modes = serializers.ListField(child=serializers.ChoiceField(Mode.choices))
    waits = WaitsSerializer(source="*")
    # Declared: ModelSerializer drops allow_blank on read-only fields, and the
    # schema must admit "" (a crossing nobody has reported on yet).
    last_source_kind = serializers.ChoiceField(
        SourceKind.choices, allow_blank=True, read_only=True
    )
    sides = SidesSerializer(source="*", read_only=True)
    de_facto = serializers.ChoiceField(
        DeFacto.choices, allow_blank=True, read_only=True
    )
    stale = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = BorderCrossing
        fields = [
            "slug",
            *CROSSING_NAME_FIELDS,
            "latitude",
            "longitude",
            "kind",
            "modes",
            "status",
            "status_observed_at",
            "sides",
            "official_id",
            "bilateral",
            "cargo_only",
            "hours_text_ru",
            "de_facto",
            "coord_source",
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
    # Declared for the schema's sake, like CrossingSerializer.last_source_kind:
    # "" is an update that claims no status (a wait alone).
    side = serializers.ChoiceField(
        Side.choices,
        allow_blank=True,
        read_only=True,
        help_text=_(
            "Which side the status is a claim about: ru, neighbour, both "
            "(the crossing as a whole), or empty when the update claims no status."
        ),
    )
    facts = FactsField(read_only=True)

    class Meta:
        model = CrossingUpdate
        fields = [
            "id",
            "status",
            "side",
            "facts",
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

    status = serializers.ChoiceField(
        Status.choices,
        required=False,
        help_text=_(
            "The status of `side`. A status needs `source_url` or a `note` saying "
            "why it changed."
        ),
    )
    side = serializers.ChoiceField(
        [
            (Side.RUSSIAN, Side.RUSSIAN.label),
            (Side.NEIGHBOUR, Side.NEIGHBOUR.label),
            (Side.BOTH, Side.BOTH.label),
        ],
        required=False,
        help_text=_(
            "Which side of the border `status` is about: ru, neighbour or both "
            "(the default). The crossing's status is the stricter of its sides."
        ),
    )
    waits = WaitsInputSerializer(required=False)
    queue_length = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_QUEUE_LENGTH,
        help_text=_("Vehicles in the queue."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_UPDATE_NOTE_LENGTH,
        default="",
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
