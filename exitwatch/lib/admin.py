"""Admin pieces every app shares."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.snapshot import snapshot_mark_stale
from exitwatch.lib.source_health import SourceHealth


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


# A source's health columns: written by its runs (exitwatch.lib.sources), read
# only in the admin.
SOURCE_HEALTH_FIELDS = [
    "last_attempt_at",
    "last_success_at",
    "last_error_at",
    "last_error",
    "items_seen",
    "items_changed",
]


class SourceHealthAdmin:
    """For a ModelAdmin of a SourceHealth model: the columns that flag a source
    to staff, for its list_display."""

    @admin.display(boolean=True, description=_("no success for 12 h"))
    def overdue(self, obj: SourceHealth) -> bool:
        return obj.is_overdue()

    @admin.display(boolean=True, description=_("last attempt failed"))
    def failing(self, obj: SourceHealth) -> bool:
        return obj.is_failing

    @admin.display(description=_("last error message"))
    def short_error(self, obj: SourceHealth) -> str:
        return obj.last_error[:120] + ("…" if len(obj.last_error) > 120 else "")


class WorkerSourceAdmin(SourceHealthAdmin, admin.ModelAdmin):
    """A source whose row its runs write (a price provider, the official list):
    staff read its health and may turn it off, nothing more."""

    list_display = [
        "key",
        "name",
        "enabled",
        "last_success_at",
        "overdue",
        "failing",
        "last_error_at",
        "items_seen",
        "items_changed",
    ]
    readonly_fields = ["key", "name", "url", "enabled", *SOURCE_HEALTH_FIELDS]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
