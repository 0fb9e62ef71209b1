"""Admin pieces every app shares."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from exitwatch.lib.snapshot import snapshot_mark_stale


class MarksMapStaleAdmin:
    """For a ModelAdmin of rows the public map shows: a save or delete made in the
    admin marks the map document stale (after commit), as the services do for
    every other write, so the edit shows on the next request."""

    def save_model(
        self, request: HttpRequest, obj: Model, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        snapshot_mark_stale()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        snapshot_mark_stale()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        snapshot_mark_stale()
