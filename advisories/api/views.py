"""API v1 views for advisories (read-only: the workers write them)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from advisories.api.serializers import (
    AdvisorySerializer,
)
from advisories.filtersets import AdvisoryFilterSet
from advisories.models import Advisory, AdvisoryRevision
from exitwatch.lib.api.base import StrictParamsMixin
from exitwatch.lib.api.schema import ERRORS, error


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
