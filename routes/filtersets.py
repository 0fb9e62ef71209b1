"""Query filters for crossings, their history and exit routes (API and pages).

Every parameter is validated: a bad date, an unknown country or code, a negative
price or a word where a boolean belongs is a 400 with the field named, never an
empty list nor a 500.
"""

from __future__ import annotations

from datetime import datetime

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.filters import (
    AwareDateTimeFilter,
    StrictBooleanFilter,
    country_filter,
)
from routes.models import (
    BorderCrossing,
    CrossingKind,
    CrossingUpdate,
    ExitRoute,
    Mode,
    SourceKind,
    Status,
)


class CrossingFilterSet(filters.FilterSet):
    country = country_filter("country", _("Neighbour country (ISO 3166 code)"))
    status = filters.ChoiceFilter(choices=Status.choices, label=_("Current status"))
    kind = filters.ChoiceFilter(
        choices=CrossingKind.choices, label=_("Kind of crossing")
    )
    mode = filters.ChoiceFilter(
        choices=Mode.choices, method="filter_mode", label=_("Open to this mode")
    )
    stale = StrictBooleanFilter(
        method="filter_stale",
        label=_("Last report older than the crossing's threshold (or none)"),
    )

    class Meta:
        model = BorderCrossing
        fields = ["country", "status", "kind", "mode", "stale"]

    def filter_mode(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.allowing(value)

    def filter_stale(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        stale = BorderCrossing.objects.stale().values("pk")
        return (
            queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)
        )


class CrossingUpdateFilterSet(filters.FilterSet):
    observed_after = AwareDateTimeFilter(
        field_name="observed_at",
        lookup_expr="gte",
        label=_("Observed at or after (ISO 8601 with time zone)"),
    )
    observed_before = AwareDateTimeFilter(
        field_name="observed_at",
        lookup_expr="lt",
        label=_("Observed before (ISO 8601 with time zone)"),
    )
    at = AwareDateTimeFilter(
        method="filter_at",
        label=_(
            "The state at this moment: only the newest update observed at or "
            "before it (ISO 8601 with time zone)"
        ),
    )
    status = filters.ChoiceFilter(
        choices=Status.choices, label=_("Status reported in the update")
    )
    source_kind = filters.ChoiceFilter(
        choices=SourceKind.choices, label=_("Kind of source of the update")
    )

    class Meta:
        model = CrossingUpdate
        fields = ["observed_after", "observed_before", "at", "status", "source_kind"]

    def filter_at(self, queryset: QuerySet, name: str, value: datetime) -> QuerySet:
        # The view answers `at` with one row (see CrossingHistoryView).
        return queryset.filter(observed_at__lte=value)


class RouteFilterSet(filters.FilterSet):
    crossing = filters.CharFilter(
        field_name="crossing__slug", max_length=80, label=_("Crossing (slug)")
    )
    country = country_filter("crossing__country", _("Crossing into (ISO 3166 code)"))
    destination_country = country_filter(
        "destination_country", _("Destination country (ISO 3166 code)")
    )

    class Meta:
        model = ExitRoute
        fields = ["crossing", "country", "destination_country"]
