"""Reads about flights used in more than one place."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from routes.flights.models import Availability, FlightProvider

# How many days ahead the map's flight summary looks.
FLIGHT_WINDOW_DAYS = 7
SEATS_AVAILABLE = Q(availability__in=[Availability.AVAILABLE, Availability.FEW]) | Q(
    seats__gt=0
)


def flight_providers_health() -> QuerySet[FlightProvider]:
    """Every flight price provider that has run at least once, in key order."""
    return FlightProvider.objects.order_by("key")
