"""API v1 views for advisories (read-only: the workers write them) and for the
health of every source (GET /api/v1/sources/)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advisories.api.serializers import (
    AdvisorySerializer,
    AdvisorySourceHealthSerializer,
    FlightProviderHealthSerializer,
)
from advisories.filtersets import AdvisoryFilterSet
from advisories.models import Advisory, AdvisoryRevision
from advisories.selectors import advisory_sources_health, flight_providers_health
from routes.api.base import StrictParamsMixin
from routes.api.schema import ERRORS, error


@extend_schema_view(
    list=extend_schema(
        summary="Travel advisories",
        description=(
            "Each government's current advice about a country, normalised to "
            "levels 1–4 with the issuer's own wording, and its revisions, newest "
            "first."
        ),
        responses={200: AdvisorySerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One advisory with its revisions",
        responses={
            200: AdvisorySerializer,
            **error(404, "No such advisory."),
            **ERRORS,
        },
    ),
)
class AdvisoryViewSet(StrictParamsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Advisory.objects.select_related("source").prefetch_related(
        Prefetch(
            "revisions",
            queryset=AdvisoryRevision.objects.order_by("-recorded_at", "-id"),
        )
    )
    serializer_class = AdvisorySerializer
    filterset_class = AdvisoryFilterSet
    ordering = ("target_country", "source_id", "id")


class SourceHealthList(APIView):
    """Every advisory feed and flight price provider with its last success, last
    error and item counts; `overdue` flags one with no success for 12 hours."""

    permission_classes = [AllowAny]

    @extend_schema(responses=AdvisorySourceHealthSerializer(many=True))
    def get(self, request: Request) -> Response:
        context = {"request": request, "now": timezone.now()}
        data = [
            *AdvisorySourceHealthSerializer(
                advisory_sources_health(), many=True, context=context
            ).data,
            *FlightProviderHealthSerializer(
                flight_providers_health(), many=True, context=context
            ).data,
        ]
        response = Response(data)
        patch_cache_control(response, public=True, max_age=60)
        return response
