"""Reads about advisory sources used in more than one place."""

from __future__ import annotations

from django.db.models import QuerySet

from advisories.models import AdvisorySource
from routes.models import FlightProvider


def advisory_sources_health() -> QuerySet[AdvisorySource]:
    """Every advisory source with its health fields, in key order."""
    return AdvisorySource.objects.order_by("key")


def flight_providers_health() -> QuerySet[FlightProvider]:
    """Every flight price provider that has run at least once, in key order."""
    return FlightProvider.objects.order_by("key")
