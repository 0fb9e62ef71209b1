"""Staff admin for crossings. Every change of state goes through routes.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from exitwatch.lib.admin import MarksMapStaleAdmin
from exitwatch.lib.snapshot import snapshot_mark_stale
from routes.forms import (
    STATE_FIELDS,
    BulkStatusForm,
    CrossingAdminForm,
    refusal_errors,
)
from routes.models import (
    SIDE_PREFIX,
    SIDE_STATE_FIELDS,
    WAIT_MODES,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    SourceKind,
    Status,
)
from routes.services import (
    DETAIL_FIELDS,
    crossing_edit_details,
    crossing_update_record,
)

__all__ = ["BulkStatusForm", "CrossingAdminForm"]  # where the forms were first

HISTORY_ROWS_SHOWN = 50

# Each side's last claim, shown read-only: it changes only by a recorded update.
SIDE_FIELDS = {
    prefix: [f"{prefix}_{field}" for field in SIDE_STATE_FIELDS]
    for prefix in SIDE_PREFIX.values()
}
# The Russian side's published facts: read-only, they come with updates too.
FACT_FIELDS = ["bilateral", "cargo_only", "hours_text_ru", "official_point"]
# Reference data about the official checkpoint, which superusers edit.
OFFICIAL_REFERENCE_FIELDS = [
    "official_id",
    "de_facto",
    "coord_source",
    "coord_override",
]


class ServiceRefused(Exception):
    """The write path refused a save the form had accepted (its ValidationError):
    raised out of the admin's transaction so that nothing is kept."""

    def __init__(self, error: ValidationError) -> None:
        self.error = error
        super().__init__(str(error))


class RecentUpdatesFormSet(BaseInlineFormSet):
    def get_queryset(self) -> QuerySet[CrossingUpdate]:
        return super().get_queryset()[:HISTORY_ROWS_SHOWN]


class CrossingUpdateInline(admin.TabularInline):
    model = CrossingUpdate
    formset = RecentUpdatesFormSet
    verbose_name_plural = _("History (latest 50, read-only)")
    fields = [
        "observed_at",
        "status",
        "side",
        *(f"wait_{m}" for m in WAIT_MODES),
        "queue_length",
        "source_kind",
        "actor_label",
        "note",
        "applied",
    ]
    readonly_fields = fields
    can_delete = False
    extra = 0
    ordering = ["-observed_at", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BorderCrossing)
class BorderCrossingAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    form = CrossingAdminForm
    list_display = [
        "name_en",
        "neighbour_name_en",
        "country",
        "status",
        "ru_status",
        "neighbour_status",
        *(f"wait_{m}" for m in WAIT_MODES),
        "updated",
        "last_actor_label",
    ]
    list_filter = [
        ("country", CountryFilter),
        "status",
        "kind",
        "last_source_kind",
        "cargo_only",
        "de_facto",
    ]
    search_fields = [
        "slug",
        "name_en",
        "name_ru",
        "neighbour_name_en",
        "neighbour_name_ru",
        "region_en",
        "region_ru",
    ]
    list_select_related = True
    inlines = [CrossingUpdateInline]
    actions = ["mark_closed", "mark_open"]
    readonly_fields = [
        "slug",
        "note",
        "last_observed_at",
        "last_source_kind",
        "last_actor_label",
        "status_observed_at",
        *SIDE_FIELDS["ru"],
        *SIDE_FIELDS["neighbour"],
        *FACT_FIELDS,
    ]

    @admin.display(description=_("last update"), ordering="last_observed_at")
    def updated(self, obj: BorderCrossing) -> str:
        return naturaltime(obj.last_observed_at) if obj.last_observed_at else "—"

    @admin.display(description=_("official point"))
    def official_point(self, obj: BorderCrossing) -> str:
        if obj.official_latitude is None or obj.official_longitude is None:
            return "—"
        return f"{obj.official_latitude:.5f}, {obj.official_longitude:.5f}"

    def has_update_status_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("routes.update_status")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(
            request, obj
        ) or self.has_update_status_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(self.readonly_fields)
        if obj is None:
            return [f for f in fields if f != "slug"]
        if not super().has_change_permission(request, obj):
            fields += DETAIL_FIELDS  # editors change state, not reference data
        if not self.has_update_status_permission(request):
            fields += STATE_FIELDS
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "crossing_refused", None)
        if refused is None:
            return form
        return type(form.__name__, (form,), {"refused": refused})

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The admin's transaction rolled back: nothing of the save is kept.
            # Again, with the service's messages as the form's errors, so the
            # page is shown as for any invalid form.
            request.crossing_refused = refused.error  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        state = [
            *STATE_FIELDS,
            "update_side",
            "update_note",
            "update_source_url",
            "expected_version",
            "status_observed_at",
        ]
        return [
            (_("Current state"), {"fields": state}),
            (_("Russian side"), {"fields": SIDE_FIELDS["ru"]}),
            (_("Neighbour's side"), {"fields": SIDE_FIELDS["neighbour"]}),
            (
                _("Last update"),
                {
                    "fields": [
                        "note",
                        "last_observed_at",
                        "last_source_kind",
                        "last_actor_label",
                    ]
                },
            ),
            (
                _("Official checkpoint"),
                {"fields": [*OFFICIAL_REFERENCE_FIELDS, *FACT_FIELDS]},
            ),
            (
                _("Crossing"),
                {
                    "fields": [
                        "slug",
                        *(
                            f
                            for f in DETAIL_FIELDS
                            if f not in OFFICIAL_REFERENCE_FIELDS
                        ),
                    ]
                },
            ),
        ]

    def save_model(
        self,
        request: HttpRequest,
        obj: BorderCrossing,
        form: CrossingAdminForm,
        change: bool,
    ) -> None:
        try:
            self._save_crossing(request, obj, form, change)
        except ValidationError as exc:
            raise ServiceRefused(exc) from exc

    def _save_crossing(
        self,
        request: HttpRequest,
        obj: BorderCrossing,
        form: CrossingAdminForm,
        change: bool,
    ) -> None:
        data = form.cleaned_data
        state_changed = [f for f in form.changed_data if f in STATE_FIELDS]
        if not change:
            for field in STATE_FIELDS:  # the first state is recorded below
                setattr(obj, field, BorderCrossing._meta.get_field(field).get_default())
            obj.save()
            snapshot_mark_stale()
        else:
            details = {f: data[f] for f in form.changed_data if f in DETAIL_FIELDS}
            if details:
                crossing_edit_details(
                    crossing=obj,
                    changes=details,
                    expected_version=data["expected_version"],
                )
        claims = form.claims_status()
        if state_changed or claims or data.get("update_note"):
            crossing_update_record(
                crossing=obj,
                source_kind=SourceKind.STAFF,
                status=data.get("status") if claims else None,
                side=(data.get("update_side") or None) if claims else None,
                waits={
                    f[len("wait_") :]: data[f]
                    for f in state_changed
                    if f.startswith("wait_")
                },
                queue_length=data.get("queue_length"),
                note=data.get("update_note", ""),
                source_url=data.get("update_source_url", ""),
                actor=request.user,
                expected_version=obj.version,
            )

    @admin.action(
        description=_("Mark selected crossings closed…"), permissions=["update_status"]
    )
    def mark_closed(
        self, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        return self._bulk_status(request, queryset, Status.CLOSED, "mark_closed")

    @admin.action(
        description=_("Mark selected crossings open…"), permissions=["update_status"]
    )
    def mark_open(
        self, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        return self._bulk_status(request, queryset, Status.OPEN, "mark_open")

    def _bulk_status(
        self, request: HttpRequest, queryset: QuerySet, status: str, action: str
    ) -> HttpResponse | None:
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid() and self._bulk_record(request, queryset, status, form):
            self.message_user(
                request,
                gettext("%(count)d crossings marked %(status)s.")
                % {"count": len(queryset), "status": Status(status).label},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Mark crossings %(status)s")
            % {"status": Status(status).label},
            "opts": self.model._meta,
            "crossings": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/routes/bulk_status.html", context)

    def _bulk_record(
        self, request: HttpRequest, queryset: QuerySet, status: str, form: forms.Form
    ) -> bool:
        """Record `status` on every crossing, or on none: False (and the
        service's messages on `form`) when the write path refused one."""
        data = form.cleaned_data
        try:
            with transaction.atomic():
                for crossing in queryset:
                    crossing_update_record(
                        crossing=crossing,
                        source_kind=SourceKind.STAFF,
                        status=status,
                        side=data["side"],
                        note=data["note"],
                        source_url=data["source_url"],
                        actor=request.user,
                    )
        except ValidationError as exc:
            for field, messages in refusal_errors(exc, form.fields, {}).items():
                form.add_error(field, messages)
            return False
        return True


@admin.register(CrossingUpdate)
class CrossingUpdateAdmin(admin.ModelAdmin):
    """History is browsable by staff and never editable (the database agrees)."""

    list_display = [
        "crossing",
        "observed_at",
        "status",
        "side",
        "previous_status",
        *(f"wait_{m}" for m in WAIT_MODES),
        "source_kind",
        "actor_label",
        "applied",
    ]
    list_filter = [
        "source_kind",
        "status",
        "side",
        ("crossing__country", CountryFilter),
    ]
    search_fields = ["crossing__name_en", "crossing__name_ru", "note", "actor_label"]
    list_select_related = ["crossing"]
    date_hierarchy = "observed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExitRoute)
class ExitRouteAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    list_display = ["name_en", "crossing", "destination_country", "distance_km"]
    list_filter = [
        ("destination_country", CountryFilter),
        ("crossing__country", CountryFilter),
    ]
    search_fields = ["name_en", "name_ru", "origin_en", "destination_en"]
    list_select_related = ["crossing"]
