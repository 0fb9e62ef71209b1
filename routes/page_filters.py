"""The API's filtersets dressed for people: the /flights/ and /advisories/ pages.

The pages take the very parameters the API takes (routes/filtersets.py,
advisories/filtersets.py), so a page URL and an API URL filter alike; only labels,
widgets and choice names change here, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, QuerySet, When
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from advisories.filtersets import AdvisoryFilterSet
from advisories.models import Advisory
from routes.filtersets import FlightFilterSet
from routes.models import Airport, FlightReport

PAGE_SIZE = 50

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

_YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


@dataclass(frozen=True)
class FilteredPage:
    """One page of a filtered list, or the form's errors (then `page` is None)."""

    form: forms.Form
    page: Page | None
    ordering: str
    querystring: str  # the filters without `page`, for the pager links

    @property
    def is_valid(self) -> bool:
        return self.page is not None


def _airport_label(airport: Airport) -> str:
    return f"{airport.city} ({airport.iata})"


def _dress(form: forms.Form, labels: dict[str, str]) -> None:
    """Page labels, and an "any" first choice where the API's field has none (an
    API client leaves the parameter out; a page's select must offer that)."""
    for name, field in form.fields.items():
        if name in labels:
            field.label = labels[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            choices = [(value, text) for value, text in field.choices if value != ""]
            field.choices = [("", _("Any")), *choices]


def _paginate(
    queryset: QuerySet, params: QueryDict, form: forms.Form, ordering: str
) -> FilteredPage:
    keep = params.copy()
    keep.pop("page", None)
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    return FilteredPage(
        form=form, page=page, ordering=ordering, querystring=keep.urlencode()
    )


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
    _dress(form, labels)
    for name in ("origin", "destination"):
        form.fields[name].queryset = airports
        form.fields[name].label_from_instance = _airport_label
        form.fields[name].empty_label = _("Any airport")
    for name in ("departure_after", "departure_before"):
        form.fields[name].widget = forms.DateInput(attrs={"type": "date"})
    form.fields["has_seats"].widget = forms.Select(choices=_YES_NO)
    form.fields["max_price"].widget.attrs.update(min="0", step="any")
    ordering = params.get("ordering", "departure_date")
    if ordering not in FLIGHT_ORDERINGS:
        form.add_error(None, _("Unknown sort order."))
        return FilteredPage(form=form, page=None, ordering=ordering, querystring="")
    if not filterset.is_valid():
        return FilteredPage(form=form, page=None, ordering=ordering, querystring="")
    rows = filterset.qs.order_by(*_FLIGHT_ORDER_BY[ordering], "id")
    return _paginate(rows, params, form, ordering)


def advisory_page(params: QueryDict) -> FilteredPage:
    """Advisories filtered as the API filters them: advice about Russia first."""
    queryset = Advisory.objects.select_related("source")
    filterset = AdvisoryFilterSet(params, queryset=queryset)
    form = filterset.form
    labels = {
        "issuer": _("Government"),
        "target_country": _("About the country"),
        "level": _("Level"),
        "source": _("Feed"),
    }
    _dress(form, labels)
    if not filterset.is_valid():
        return FilteredPage(form=form, page=None, ordering="", querystring="")
    russia_first = Case(When(target_country="RU", then=0), default=1)
    rows = filterset.qs.order_by(
        russia_first, "target_country", "-level", "source__key"
    )
    return _paginate(rows, params, form, "")
