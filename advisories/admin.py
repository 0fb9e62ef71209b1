"""Staff views of advisory sources and advisories; the workers write them."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from advisories.refresh import advisory_source_refresh
from advisories.tasks import refresh_advisory_source
from exitwatch.lib.admin import (
    SOURCE_HEALTH_FIELDS,
    MarksMapStaleAdmin,
    SourceHealthAdmin,
)
from exitwatch.lib.jobs import QueueUnavailable, enqueue, new_owner


@admin.register(AdvisorySource)
class AdvisorySourceAdmin(MarksMapStaleAdmin, SourceHealthAdmin, admin.ModelAdmin):
    list_display = [
        "key",
        "name_en",
        "issuer",
        "enabled",
        "last_success_at",
        "overdue",
        "failing",
        "last_error_at",
        "short_error",
        "items_seen",
        "items_changed",
    ]
    list_filter = ["enabled", "issuer"]
    actions = ["refresh_now"]
    readonly_fields = ["etag", "last_modified", *SOURCE_HEALTH_FIELDS]

    @admin.action(description=_("Refresh the selected sources now"))
    def refresh_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not settings.REDIS_URL:
            # No workers without a broker: refresh here, once, and say how it went.
            for source in queryset:
                outcome = advisory_source_refresh(
                    source=source, run_id=new_owner("admin")
                )
                level = messages.ERROR if outcome.status == "failed" else messages.INFO
                self.message_user(request, f"{source} — {outcome.summary()}", level)
            return
        try:
            for source in queryset:
                enqueue(refresh_advisory_source, source.key)
        except QueueUnavailable as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            gettext("Queued a refresh of %(count)d sources.")
            % {"count": queryset.count()},
            messages.SUCCESS,
        )


class RevisionInline(admin.TabularInline):
    model = AdvisoryRevision
    fields = ["recorded_at", "change", "level", "level_text", "title", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Advisory)
class AdvisoryAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    list_display = ["target_country", "source", "level", "level_text", "published_at"]
    list_filter = ["source", "level", ("target_country", CountryFilter)]
    search_fields = ["title", "summary"]
    list_select_related = ["source"]
    inlines = [RevisionInline]
    readonly_fields = ["content_hash", "fetched_at", "changed_at"]
