"""Staff views of advisory sources and advisories; the workers write them."""

from django.contrib import admin

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource


@admin.register(AdvisorySource)
class AdvisorySourceAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "name_en",
        "issuer",
        "enabled",
        "last_success_at",
        "last_error_at",
        "items_seen",
        "items_changed",
    ]
    list_filter = ["enabled", "issuer"]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_attempt_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "items_seen",
        "items_changed",
    ]


class RevisionInline(admin.TabularInline):
    model = AdvisoryRevision
    fields = ["recorded_at", "change", "level", "level_text", "title", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Advisory)
class AdvisoryAdmin(admin.ModelAdmin):
    list_display = ["target_country", "source", "level", "level_text", "published_at"]
    list_filter = ["source", "level", "target_country"]
    search_fields = ["title", "summary"]
    list_select_related = ["source"]
    inlines = [RevisionInline]
    readonly_fields = ["content_hash", "fetched_at", "changed_at"]
