"""Query filters for flight reports and airports (API and the /flights/ page)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.filters import CodeFilter, StrictBooleanFilter, country_filter
from routes.flights.models import CURRENCY_CODES, Airport, FlightReport
from routes.flights.selectors import SEATS_AVAILABLE


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


class AirportFilterSet(filters.FilterSet):
    country = country_filter("country", _("Country (ISO 3166 code)"))

    class Meta:
        model = Airport
        fields = ["country"]
