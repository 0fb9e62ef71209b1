"""Reads about events, subscriptions and deliveries used in more than one place."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from alerts.models import Delivery, Subscription
from routes.models import SIDES, CrossingUpdate, Side, Status, combined_status


def active_subscriptions() -> list[Subscription]:
    """Subscriptions that are not paused, oldest first: events go to these.

    Always in the same order, so that concurrent event tasks lock wait states in
    the same order too (no deadlock between them)."""
    return list(Subscription.objects.filter(paused_at__isnull=True).order_by("id"))


def status_after(update: CrossingUpdate) -> str:
    """The crossing's combined status once `update` was recorded.

    Each side's claim is the newest (by observation, then by recording) among
    the crossing's rows recorded up to this one, as the write path keeps it;
    rows about both sides count for each. The write path locks the crossing, so
    its rows' ids follow the order they were recorded in. Two queries.
    """
    rows = CrossingUpdate.objects.filter(
        crossing_id=update.crossing_id, pk__lte=update.pk
    )
    sides = {}
    for side in SIDES:
        claim = (
            rows.filter(side__in=[side, Side.BOTH])
            .order_by("-observed_at", "-id")
            .values_list("status", "observed_at")
            .first()
        )
        sides[side] = claim or (Status.UNKNOWN, None)
    status, _at = combined_status(sides[Side.RUSSIAN], sides[Side.NEIGHBOUR])
    return status


def subscriptions_of(owner: AbstractBaseUser) -> QuerySet[Subscription]:
    """An account's own subscriptions: nobody sees another's."""
    return Subscription.objects.filter(owner=owner)


def deliveries_of(subscription: Subscription) -> QuerySet[Delivery]:
    """A subscription's delivery log, newest first, with each event."""
    return Delivery.objects.filter(subscription=subscription).select_related("event")


def deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of the deliveries an attempt is due for, oldest due first."""
    return list(
        Delivery.objects.due(now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
