"""API v1 representations of webhook subscriptions and their delivery logs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alerts.models import Delivery, DeliveryState, EventKind, PauseReason, Subscription
from exitwatch.lib.api.serializers import ApiModelSerializer
from routes.models import MAX_WAIT_MINUTES


class SubscriptionInputSerializer(serializers.Serializer):
    """A webhook endpoint to register and what it wants to hear of."""

    target_url = serializers.URLField(
        max_length=500,
        help_text=_(
            "Where events are POSTed: https, on a public address (checked again "
            "at every delivery)."
        ),
    )
    crossings = serializers.ListField(
        child=serializers.SlugField(max_length=80),
        required=False,
        default=list,
        max_length=100,
        help_text=_("Crossing slugs; with `countries`, events about any of them."),
    )
    countries = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2),
        required=False,
        default=list,
        max_length=100,
        help_text=_(
            "Two-letter country codes (a crossing's neighbour, a destination)."
        ),
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(EventKind.choices),
        required=False,
        default=list,
        help_text=_("Kinds of event; none given: all."),
    )
    wait_threshold_minutes = serializers.DictField(
        child=serializers.IntegerField(min_value=60, max_value=MAX_WAIT_MINUTES),
        required=False,
        default=dict,
        help_text=_(
            "Per mode (car, bus, truck, pedestrian): tell when its wait goes over "
            "this many minutes, and when it is back under (with a margin)."
        ),
    )


class SubscriptionSerializer(ApiModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    crossings = serializers.ListField(child=serializers.CharField(), read_only=True)
    countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(EventKind.choices), read_only=True
    )
    wait_threshold_minutes = serializers.DictField(
        child=serializers.IntegerField(), read_only=True
    )
    paused = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Nothing is sent while paused: after days of failed deliveries, or a "
            "410 from the endpoint."
        ),
    )
    pause_reason = serializers.ChoiceField(PauseReason.choices, read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "target_url",
            "crossings",
            "countries",
            "kinds",
            "wait_threshold_minutes",
            "created_at",
            "paused",
            "paused_at",
            "pause_reason",
            "failing_since",
            "last_success_at",
            "last_failure_at",
        ]
        read_only_fields = fields


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_(
            "The signing secret (whsec_…). Shown only now: keep it to verify the "
            "webhook-signature of each delivery."
        ),
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class DeliverySerializer(ApiModelSerializer):
    event_id = serializers.CharField(
        source="event.webhook_id",
        read_only=True,
        help_text=_("The webhook-id header of the delivery."),
    )
    event_kind = serializers.ChoiceField(
        EventKind.choices, source="event.kind", read_only=True
    )
    state = serializers.ChoiceField(DeliveryState.choices, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "event_id",
            "event_kind",
            "state",
            "attempts",
            "created_at",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
        read_only_fields = fields
