"""Query filters for the API (and any page that lists the same things).

Every parameter is validated: a bad date, an unknown country or code, a negative
price or a word where a boolean belongs is a 400 with the field named, never an
empty list nor a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from routes.models import (
    CURRENCY_CODES,
    Airport,
    BorderCrossing,
    CrossingKind,
    CrossingUpdate,
    ExitRoute,
    FlightReport,
    Mode,
    SourceKind,
    Status,
)
from routes.selectors import SEATS_AVAILABLE


class StrictBooleanField(forms.Field):
    """true/false, 1/0, yes/no; anything else is an error, not "no filter"."""

    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}
    default_error_messages = {
        "invalid": _("Use true or false."),
    }

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class AwareDateTimeField(forms.Field):
    """An ISO 8601 moment with its offset (`2022-09-25T08:00:00Z`): without one
    the same string means different moments to different readers."""

    default_error_messages = {
        "invalid": _(
            "Give a date and time in ISO 8601 with a time zone, "
            "e.g. 2022-09-25T08:00:00Z."
        ),
        "naive": _("Add a time zone to the time (Z for UTC, or e.g. +03:00)."),
    }

    def to_python(self, value: Any) -> datetime | None:
        if value in (None, ""):
            return None
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if moment.tzinfo is None:
            raise forms.ValidationError(self.error_messages["naive"], code="naive")
        return moment


class AwareDateTimeFilter(filters.Filter):
    field_class = AwareDateTimeField


class UpperChoiceField(forms.ChoiceField):
    """Codes are matched case-insensitively (`ge` is Georgia)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


class CodeFilter(filters.ChoiceFilter):
    field_class = UpperChoiceField


def country_filter(field_name: str, label: str) -> CodeFilter:
    return CodeFilter(
        field_name=field_name,
        label=label,
        choices=lambda: [(code, name) for code, name in countries],
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


def airport_filter(field_name: str, label: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="iata",
        queryset=Airport.objects.all(),
        label=label,
    )


class FlightFilterSet(filters.FilterSet):
    origin = airport_filter("origin", _("Origin airport (IATA code)"))
    destination = airport_filter("destination", _("Destination airport (IATA code)"))
    destination_country = country_filter(
        "destination__country", _("Destination country (ISO 3166 code)")
    )
    departure_after = filters.DateFilter(
        field_name="departure_date",
        lookup_expr="gte",
        label=_("Departing on or after (YYYY-MM-DD)"),
    )
    departure_before = filters.DateFilter(
        field_name="departure_date",
        lookup_expr="lte",
        label=_("Departing on or before (YYYY-MM-DD)"),
    )
    has_seats = StrictBooleanFilter(
        method="filter_has_seats", label=_("Seats were seen (available or few)")
    )
    max_price = filters.NumberFilter(
        field_name="price",
        lookup_expr="lte",
        min_value=0,
        label=_("Price at most (in the report's currency)"),
    )
    currency = CodeFilter(
        choices=[(c, c) for c in CURRENCY_CODES], label=_("ISO 4217 currency")
    )
    source = filters.CharFilter(max_length=40, label=_("Source of the reports"))

    class Meta:
        model = FlightReport
        fields = [
            "origin",
            "destination",
            "destination_country",
            "departure_after",
            "departure_before",
            "has_seats",
            "max_price",
            "currency",
            "source",
        ]

    def filter_has_seats(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return queryset.filter(SEATS_AVAILABLE)
        return queryset.exclude(SEATS_AVAILABLE)


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


class AirportFilterSet(filters.FilterSet):
    country = country_filter("country", _("Country (ISO 3166 code)"))

    class Meta:
        model = Airport
        fields = ["country"]
