"""Reads about flights used in more than one place."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from routes.flights.models import Availability, FlightProvider, FlightSourceGrant

# How many days ahead the map's flight summary looks.
FLIGHT_WINDOW_DAYS = 7
SEATS_AVAILABLE = Q(availability__in=[Availability.AVAILABLE, Availability.FEW]) | Q(
    seats__gt=0
)


def flight_providers_health() -> QuerySet[FlightProvider]:
    """Every flight price provider that has run at least once, in key order."""
    return FlightProvider.objects.order_by("key")


def flight_sources_refused(
    *, account: AbstractBaseUser | AnonymousUser, sources: Iterable[str]
) -> list[str]:
    """The sources among `sources` that `account` has no grant to write, sorted.

    Superusers too need a grant: a partner's token is tied to its own sources
    whatever else its account may do, so a leaked token cannot rewrite another
    source's rows.
    """
    wanted = set(sources)
    if not account.is_authenticated:
        return sorted(wanted)
    granted = set(
        FlightSourceGrant.objects.filter(
            account_id=account.pk, source__in=wanted
        ).values_list("source", flat=True)
    )
    return sorted(wanted - granted)
