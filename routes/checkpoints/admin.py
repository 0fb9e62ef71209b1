"""Admin for the official checkpoint list's health (written by its runs)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from exitwatch.lib.admin import SOURCE_HEALTH_FIELDS, SourceHealthAdmin
from routes.checkpoints.models import OfficialListSource


@admin.register(OfficialListSource)
class OfficialListSourceAdmin(SourceHealthAdmin, admin.ModelAdmin):
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
