"""Query filters for crossings, their history and exit routes (API and pages).

Every parameter is validated: a bad date, an unknown country or code, a negative
price or a word where a boolean belongs is a 400 with the field named, never an
empty list nor a 500.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    Side,
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
    cargo_only = StrictBooleanFilter(
        field_name="cargo_only",
        label=_("The Russian side lets only cargo through"),
    )

    # Filters on what changes over time: on a past moment's state (the list's
    # `at`) they are applied to the crossings as they stood then
    # (state_matches), the others in the database as usual.
    STATE_FILTERS = ("status", "stale", "cargo_only")

    class Meta:
        model = BorderCrossing
        fields = ["country", "status", "kind", "mode", "stale", "cargo_only"]

    def filter_mode(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.allowing(value)

    def filter_stale(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        stale = BorderCrossing.objects.stale().values("pk")
        return (
            queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)
        )

    def filter_reference(self, queryset: QuerySet) -> QuerySet:
        """The queryset with every filter but the STATE_FILTERS applied (call
        is_valid() first)."""
        for name, value in self.form.cleaned_data.items():
            if name not in self.STATE_FILTERS:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def state_matches(
        self, crossings: Iterable[BorderCrossing], now: datetime
    ) -> list[BorderCrossing]:
        """The crossings whose state (as loaded, e.g. by routes.selectors.
        crossings_at) passes the STATE_FILTERS, staleness judged at `now`."""
        wanted = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in self.STATE_FILTERS and value not in (None, "")
        }
        actual = {
            "status": lambda c: c.status,
            "stale": lambda c: c.is_stale(now),
            "cargo_only": lambda c: c.cargo_only,
        }
        return [
            c
            for c in crossings
            if all(actual[name](c) == value for name, value in wanted.items())
        ]


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
    side = filters.ChoiceFilter(
        choices=[(v, label) for v, label in Side.choices if v],
        label=_(
            "Side the update's status is about (ru, neighbour, or both: "
            "the crossing as a whole)"
        ),
    )

    class Meta:
        model = CrossingUpdate
        fields = [
            "observed_after",
            "observed_before",
            "at",
            "status",
            "source_kind",
            "side",
        ]

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
