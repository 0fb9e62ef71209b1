"""API v1 for partners' webhook subscriptions: register, list, read, delete, and
each one's delivery log. Every account sees only its own subscriptions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from alerts.api import serializers as s
from alerts.models import Subscription
from alerts.selectors import deliveries_of, subscriptions_of
from alerts.services import subscription_create, subscription_delete
from exitwatch.lib.api.base import StrictParamsMixin
from exitwatch.lib.api.schema import ERRORS, error

SUBSCRIBE_PERMISSION = "alerts.add_subscription"
AUTH_ERRORS = {
    **error(401, "No or bad token."),
    **error(403, "Not allowed to register webhooks."),
}
MISSING = error(404, "No such subscription of yours.")


class CanSubscribe(BasePermission):
    """Registering needs the permission (directly or through the "Webhook
    partners" group); reading or deleting one's own subscriptions does not."""

    message = _("Registering a webhook needs the webhook partner permission.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return view.action != "create" or request.user.has_perm(SUBSCRIBE_PERMISSION)


@extend_schema_view(
    list=extend_schema(
        summary="Your webhook subscriptions",
        responses={200: s.SubscriptionSerializer(many=True), **AUTH_ERRORS, **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One of your webhook subscriptions",
        responses={200: s.SubscriptionSerializer, **AUTH_ERRORS, **MISSING, **ERRORS},
    ),
    create=extend_schema(
        summary="Register a webhook",
        description=(
            "For partners (token, webhook partner permission). Events matching the "
            "filters are POSTed to `target_url`, signed as Standard Webhooks "
            "specifies (webhook-id, webhook-timestamp, webhook-signature) with the "
            "`secret` returned here, and only here. See docs/webhooks.md."
        ),
        request=s.SubscriptionInputSerializer,
        responses={
            201: s.SubscriptionCreatedSerializer,
            **error(400, "Invalid input: messages by field."),
            **AUTH_ERRORS,
            **error(429, "Throttled."),
        },
    ),
    destroy=extend_schema(
        summary="Delete a webhook subscription",
        description="Stops its deliveries; its delivery log goes with it.",
        responses={204: None, **AUTH_ERRORS, **MISSING, **ERRORS},
    ),
    deliveries=extend_schema(
        summary="A webhook subscription's delivery log",
        description=(
            "Newest first: each event's id (the webhook-id header), attempts, the "
            "last status code or error, when it was delivered or is next tried."
        ),
        responses={
            200: s.DeliverySerializer(many=True),
            **AUTH_ERRORS,
            **MISSING,
            **ERRORS,
        },
    ),
)
class SubscriptionViewSet(
    StrictParamsMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, CanSubscribe]
    serializer_class = s.SubscriptionSerializer
    # Anything not a UUID is a 404 (DRF's lookup catches the bad value).
    lookup_field = "public_id"
    ordering = ("-id",)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema, with no account
            return Subscription.objects.none()
        return subscriptions_of(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = s.SubscriptionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        subscription = subscription_create(owner=request.user, **payload.validated_data)
        return Response(
            s.SubscriptionCreatedSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance: Subscription) -> None:
        subscription_delete(subscription=instance)

    @action(detail=True, methods=["get"], serializer_class=s.DeliverySerializer)
    def deliveries(self, request: Request, public_id: str) -> Response:
        page = self.paginate_queryset(deliveries_of(self.get_object()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
