"""Public advisory pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def advisory_list(request: HttpRequest) -> HttpResponse:
    raise Http404  # filled in with the read side's filterset
