"""The /flights/ page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from routes.flights.pages import FLIGHT_ORDERINGS, flight_page


@require_safe
def flights(request: HttpRequest) -> HttpResponse:
    """Flight reports with the API's filters; bad filters are a 400 naming them."""
    result = flight_page(request.GET)
    context = {"result": result, "orderings": FLIGHT_ORDERINGS}
    status = 200 if result.is_valid else 400
    return render(request, "flights/flights.html", context, status=status)
