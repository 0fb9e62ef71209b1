"""GET /api/v1/sources/: how every feed and provider is doing."""

from __future__ import annotations

from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advisories.api.serializers import (
    AdvisorySourceHealthSerializer,
    FlightProviderHealthSerializer,
)
from advisories.selectors import advisory_sources_health, flight_providers_health


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
