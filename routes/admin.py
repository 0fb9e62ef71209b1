"""Staff admin for crossings. Every change of state goes through routes.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.admin import MarksMapStaleAdmin
from exitwatch.lib.snapshot import snapshot_mark_stale
from routes.models import (
    MAX_UPDATE_NOTE_LENGTH,
    MAX_WAIT_MINUTES,
    WAIT_MODES,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    SourceKind,
    Status,
)
from routes.services import (
    DETAIL_FIELDS,
    CrossingChangedError,
    crossing_edit_details,
    crossing_update_record,
)

STATE_FIELDS = ("status", *(f"wait_{m}" for m in WAIT_MODES), "queue_length")
HISTORY_ROWS_SHOWN = 50


class CrossingAdminForm(forms.ModelForm):
    """The crossing form; `expected_version` makes a save from a stale page fail."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    update_note = forms.CharField(
        label=_("Note for this update"),
        required=False,
        max_length=MAX_UPDATE_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the status or waits changed, and where you saw it."),
    )
    update_source_url = forms.URLField(
        label=_("Source URL for this update"), required=False, max_length=500
    )

    class Meta:
        model = BorderCrossing
        fields = [*DETAIL_FIELDS, *STATE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version
        for name in STATE_FIELDS[1:]:
            if name in self.fields:
                self.fields[name].max_value = MAX_WAIT_MINUTES

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and "expected_version" in cleaned:
            # The admin runs the whole request in a transaction: this lock holds
            # until our save commits, so a second editor waits, then fails here.
            current = BorderCrossing.objects.select_for_update().get(
                pk=self.instance.pk
            )
            if current.version != cleaned["expected_version"]:
                raise ValidationError(str(CrossingChangedError(current)), code="stale")
        return cleaned


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


class BulkStatusForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_UPDATE_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: why these crossings change, and the source."),
    )
    source_url = forms.URLField(label=_("Source URL"), required=False, max_length=500)


@admin.register(BorderCrossing)
class BorderCrossingAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    form = CrossingAdminForm
    list_display = [
        "name_en",
        "neighbour_name_en",
        "country",
        "status",
        *(f"wait_{m}" for m in WAIT_MODES),
        "updated",
        "last_actor_label",
    ]
    list_filter = ["country", "status", "kind", "last_source_kind"]
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
    ]

    @admin.display(description=_("last update"), ordering="last_observed_at")
    def updated(self, obj: BorderCrossing) -> str:
        return naturaltime(obj.last_observed_at) if obj.last_observed_at else "—"

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

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        state = [*STATE_FIELDS, "update_note", "update_source_url", "expected_version"]
        return [
            (_("Current state"), {"fields": state}),
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
            (_("Crossing"), {"fields": ["slug", *DETAIL_FIELDS]}),
        ]

    def save_model(
        self, request: HttpRequest, obj: BorderCrossing, form: forms.Form, change: bool
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
        if state_changed or data.get("update_note"):
            crossing_update_record(
                crossing=obj,
                source_kind=SourceKind.STAFF,
                status=data.get("status"),
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
        if form.is_valid():
            for crossing in queryset:
                crossing_update_record(
                    crossing=crossing,
                    source_kind=SourceKind.STAFF,
                    status=status,
                    note=form.cleaned_data["note"],
                    source_url=form.cleaned_data["source_url"],
                    actor=request.user,
                )
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


@admin.register(CrossingUpdate)
class CrossingUpdateAdmin(admin.ModelAdmin):
    """History is browsable by staff and never editable (the database agrees)."""

    list_display = [
        "crossing",
        "observed_at",
        "status",
        "previous_status",
        *(f"wait_{m}" for m in WAIT_MODES),
        "source_kind",
        "actor_label",
        "applied",
    ]
    list_filter = ["source_kind", "status", "crossing__country"]
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
    list_filter = ["destination_country", "crossing__country"]
    search_fields = ["name_en", "name_ru", "origin_en", "destination_en"]
    list_select_related = ["crossing"]
