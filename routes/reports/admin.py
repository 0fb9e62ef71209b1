"""Staff admin for traveller reports (the moderation queue) and trusted tokens.

Reports are read-only here: staff approve, reject (with a reason) or mark them
verified through actions that call routes.reports.services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from exitwatch.lib.formatting import format_wait
from routes.reports.models import (
    REPORT_FIELDS,
    ReportState,
    TravellerReport,
    TrustedReporterToken,
)
from routes.reports.selectors import report_queue
from routes.reports.services import (
    MAX_REASON_LENGTH,
    report_approve,
    report_reject,
    report_verify,
    trusted_token_issue,
    trusted_token_revoke,
)


class StateFilter(admin.SimpleListFilter):
    """Pending by default: the changelist opens on the moderation queue."""

    title = _("state")
    parameter_name = "state"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*ReportState.choices, (self.ALL, _("All"))]

    def value(self) -> str:
        return super().value() or ReportState.PENDING

    def choices(self, changelist: Any) -> Any:
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}
                ),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(state=self.value())


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the report for other moderators; never published."),
    )


@admin.register(TravellerReport)
class TravellerReportAdmin(admin.ModelAdmin):
    list_display = [
        "submitted",
        "crossing",
        "direction",
        "mode",
        "status_seen",
        "wait",
        "queue_position",
        "median",
        "outlier",
        "quarantined",
        "state",
        "verified",
        "note",
    ]
    list_filter = [
        StateFilter,
        "quarantined",
        "verified",
        "direction",
        "mode",
        ("crossing__country", CountryFilter),
    ]
    search_fields = ["crossing__name_en", "crossing__name_ru", "crossing__slug", "note"]
    list_per_page = 50
    actions = ["approve", "reject", "mark_verified"]
    readonly_fields = [
        "crossing",
        *REPORT_FIELDS,
        "public_id",
        "submitted_at",
        "note",
        "language",
        "quarantined",
        "state",
        "moderated_at",
        "moderated_by",
        "reject_reason",
        "published_with",
        "verified",
        "verified_at",
        "verified_by",
        "crossing_update",
        "moderators_notified_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[TravellerReport]:
        # Not super(): it orders by get_ordering before the annotations exist.
        queryset = self.model._default_manager.get_queryset()
        return report_queue(queryset).select_related("moderated_by", "published_with")

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return ["-is_outlier", "submitted_at", "id"]

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted(self, obj: TravellerReport) -> str:
        return naturaltime(obj.submitted_at)

    @admin.display(description=_("waited"), ordering="wait_minutes")
    def wait(self, obj: TravellerReport) -> str:
        return format_wait(obj.wait_minutes)

    @admin.display(description=_("recent median"))
    def median(self, obj: TravellerReport) -> str:
        return format_wait(getattr(obj, "recent_median", None))

    @admin.display(
        description=_("far from median"), boolean=True, ordering="-is_outlier"
    )
    def outlier(self, obj: TravellerReport) -> bool:
        return bool(getattr(obj, "is_outlier", False))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from travellers, not from staff

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Moderating is how a report changes: moderators get the change page (with
        # the moderation buttons), not the "View" of staff who may only look.
        # Every field stays read-only: what a traveller said is not edited.
        return self.has_moderate_permission(request)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("reports.moderate_travellerreport")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST":
            # The page's buttons post to the list's actions; there is nothing to save.
            raise PermissionDenied
        report = self.get_object(request, object_id)
        moderate = report is not None and self.has_moderate_permission(request)
        context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
            "can_decide": moderate and report.state == ReportState.PENDING,
            "can_verify": moderate and not report.verified,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return super().change_view(request, object_id, form_url, context)

    def _moderate(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        action: Any,
        done_message: str,
    ) -> None:
        done, refused = 0, []
        for report in queryset.order_by("observed_at", "id"):
            try:
                action(report)
            except ValidationError as exc:
                refused.append(f"{report}: {' '.join(exc.messages)}")
                continue
            self.log_change(request, report, done_message)
            done += 1
        if done:
            self.message_user(
                request,
                gettext("%(count)d reports: %(what)s.")
                % {"count": done, "what": done_message},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Approve selected reports"), permissions=["moderate"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(
            request,
            queryset,
            lambda report: report_approve(report=report, actor=request.user),
            gettext("approved"),
        )

    @admin.action(description=_("Reject selected reports…"), permissions=["moderate"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._moderate(
                request,
                queryset,
                lambda report: report_reject(
                    report=report, actor=request.user, reason=reason
                ),
                gettext("rejected"),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject traveller reports"),
            "opts": self.model._meta,
            "reports": queryset,
            "form": form,
            "action": "reject",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/reports/travellerreport/reject.html", context
        )

    @admin.action(
        description=_("Mark selected reports verified"), permissions=["moderate"]
    )
    def mark_verified(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(
            request,
            queryset,
            lambda report: report_verify(report=report, actor=request.user),
            gettext("marked verified"),
        )


class IssueTokenForm(forms.ModelForm):
    class Meta:
        model = TrustedReporterToken
        fields = ["label"]


@admin.register(TrustedReporterToken)
class TrustedReporterTokenAdmin(admin.ModelAdmin):
    """Superusers issue and revoke tokens; a new token is shown once, then only
    its hash is kept."""

    form = IssueTokenForm
    list_display = [
        "label",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["label", "prefix"]
    actions = ["revoke"]
    readonly_fields = [
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["label"] if obj is None else ["label", *self.readonly_fields]

    def save_model(
        self, request: HttpRequest, obj: TrustedReporterToken, form: Any, change: bool
    ) -> None:
        if change:
            obj.save(update_fields=["label"])
            return
        token, raw = trusted_token_issue(label=obj.label, actor=request.user)
        obj.pk, obj.token_hash, obj.prefix = token.pk, token.token_hash, token.prefix
        # Kept on the request only, for response_add to show once.
        request._issued_reporter_token = raw  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: TrustedReporterToken, *args: Any
    ) -> HttpResponse:
        raw = getattr(request, "_issued_reporter_token", None)
        if raw is None:
            return super().response_add(request, obj, *args)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Token issued"),
            "opts": self.model._meta,
            "token": obj,
            "raw_token": raw,
        }
        response = TemplateResponse(
            request, "admin/reports/trustedreportertoken/issued.html", context
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            trusted_token_revoke(token=token, actor=request.user)
            self.log_change(request, token, gettext("revoked"))
        self.message_user(request, gettext("Tokens revoked."), messages.SUCCESS)
