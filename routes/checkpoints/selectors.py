"""Reads about the official checkpoint list used in more than one place."""

from __future__ import annotations

from django.db.models import QuerySet

from routes.checkpoints.models import OfficialListSource


def official_lists_health() -> QuerySet[OfficialListSource]:
    """Every official list that has run at least once, in key order."""
    return OfficialListSource.objects.order_by("key")
