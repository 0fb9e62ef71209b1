"""Public advisory pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from advisories.pages import advisory_page


@require_safe
def advisory_list(request: HttpRequest) -> HttpResponse:
    """Every government's advice, with the API's filters; bad filters are a 400."""
    result = advisory_page(request.GET)
    status = 200 if result.is_valid else 400
    return render(request, "advisories/list.html", {"result": result}, status=status)
