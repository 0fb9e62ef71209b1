"""The /flights/ page: flight reports filtered as the API filters them."""

from __future__ import annotations

from django import forms
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.page_filters import YES_NO, FilteredPage, dress_form, paginate
from routes.flights.filtersets import FlightFilterSet
from routes.flights.models import Airport, FlightReport

# The API's `ordering` values for flights, with the words a page shows for them.
FLIGHT_ORDERINGS = {
    "departure_date": _("Departure, soonest first"),
    "price": _("Price, lowest first"),
    "-observed_at": _("Most recently reported"),
}
_FLIGHT_ORDER_BY = {
    "departure_date": [F("departure_date").asc(), F("price").asc(nulls_last=True)],
    "price": [F("price").asc(nulls_last=True), F("departure_date").asc()],
    "-observed_at": [F("observed_at").desc()],
}


def _airport_label(airport: Airport) -> str:
    return f"{airport.city} ({airport.iata})"


def flight_page(params: QueryDict) -> FilteredPage:
    """Flight reports filtered as the API filters them, PAGE_SIZE per page."""
    queryset = FlightReport.objects.select_related("origin", "destination")
    filterset = FlightFilterSet(params, queryset=queryset)
    form = filterset.form
    airports = Airport.objects.order_by("city_en")
    labels = {
        "origin": _("From"),
        "destination": _("To"),
        "destination_country": _("Destination country"),
        "departure_after": _("Departing from"),
        "departure_before": _("Departing until"),
        "has_seats": _("Seats seen"),
        "max_price": _("Price at most"),
        "currency": _("Currency"),
        "source": _("Source"),
    }
    dress_form(form, labels)
    for name in ("origin", "destination"):
        form.fields[name].queryset = airports
        form.fields[name].label_from_instance = _airport_label
        form.fields[name].empty_label = _("Any airport")
    for name in ("departure_after", "departure_before"):
        form.fields[name].widget = forms.DateInput(attrs={"type": "date"})
    form.fields["has_seats"].widget = forms.Select(choices=YES_NO)
    form.fields["max_price"].widget.attrs.update(min="0", step="any")
    ordering = params.get("ordering", "departure_date")
    if ordering not in FLIGHT_ORDERINGS:
        form.add_error(None, _("Unknown sort order."))
        return FilteredPage(form=form, page=None, ordering=ordering, querystring="")
    if not filterset.is_valid():
        return FilteredPage(form=form, page=None, ordering=ordering, querystring="")
    rows = filterset.qs.order_by(*_FLIGHT_ORDER_BY[ordering], "id")
    return paginate(rows, params, form, ordering)
