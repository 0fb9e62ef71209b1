"""Staff views of events, webhook subscriptions and their delivery logs.

Nothing here is typed in: events are made by the workers, subscriptions by
partners through the API (their secret is shown to them once), deliveries by
both. Staff may read everything, resume a paused subscription, or delete one
(through the service).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alerts.models import Delivery, Event, Subscription
from alerts.services import subscription_delete, subscription_resume


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the code writes: staff look, never add or edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["recorded_at", "kind", "crossing", "country", "occurred_at"]
    list_filter = ["kind"]
    list_select_related = ["crossing"]
    date_hierarchy = "recorded_at"
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # append-only (the database refuses too)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "target_url",
        "owner",
        "created_at",
        "is_paused",
        "pause_reason",
        "failing_since",
        "last_success_at",
        "delivery_log",
    ]
    list_filter = ["pause_reason", ("paused_at", admin.EmptyFieldListFilter)]
    list_select_related = ["owner"]
    search_fields = ["target_url", "owner__username"]
    actions = ["resume"]
    # Never the secret: it was shown to its owner once, and only them.
    readonly_fields = [
        "public_id",
        "owner",
        "target_url",
        "crossings",
        "countries",
        "kinds",
        "wait_threshold_minutes",
        "created_at",
        "last_success_at",
        "last_failure_at",
        "failing_since",
        "paused_at",
        "pause_reason",
        "owner_notified_at",
    ]
    fields = readonly_fields

    @admin.display(boolean=True, description=_("paused"))
    def is_paused(self, obj: Subscription) -> bool:
        return obj.paused

    @admin.display(description=_("deliveries"))
    def delivery_log(self, obj: Subscription) -> str:
        url = reverse("admin:alerts_delivery_changelist")
        return format_html(
            '<a href="{}?subscription__id__exact={}">{}</a>',
            url,
            obj.pk,
            gettext("log"),
        )

    def has_resume_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("alerts.change_subscription")

    @admin.action(
        description=_("Resume the selected subscriptions"), permissions=["resume"]
    )
    def resume(self, request: HttpRequest, queryset: QuerySet) -> None:
        resumed = 0
        for subscription in queryset.filter(paused_at__isnull=False):
            subscription_resume(subscription=subscription)
            resumed += 1
        self.message_user(
            request,
            gettext("Resumed %(count)d subscriptions.") % {"count": resumed},
            messages.SUCCESS,
        )

    def delete_model(self, request: HttpRequest, obj: Subscription) -> None:
        subscription_delete(subscription=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for subscription in queryset:
            subscription_delete(subscription=subscription)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "subscription",
        "event",
        "state",
        "attempts",
        "last_status_code",
        "last_error",
        "delivered_at",
        "next_attempt_at",
    ]
    list_filter = ["state", "subscription"]
    list_select_related = ["subscription", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
