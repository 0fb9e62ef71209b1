"""Every error under /api/ is JSON, whichever layer answers it.

DRF renders its own errors as JSON, but some answers under /api/ come from
elsewhere: Django's 404 for a path no route matches (or a slug the route's
pattern refuses), the 405 of a plain view such as the map document, the schema
view's errors in YAML and the docs page's in HTML, the 400 for a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, the 500 page. A client of the API then gets one
shape, {"detail": "..."}, for every error.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
# Headers an error answer carries that the client needs whatever its body.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Cache-Control")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _message(status: int, request: HttpRequest) -> str:
    messages = {
        400: _("Bad request."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("Method %(method)s is not allowed here.") % {"method": request.method},
        406: _("Cannot answer in the format asked for; this API answers in JSON."),
        413: _("The request body is too large."),
        429: _("Too many requests; try again later."),
        500: _("Server error; it has been logged."),
        503: _("The service is unavailable; try again later."),
    }
    if status in messages:
        return messages[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _("Error.")


def too_big() -> JsonResponse:
    """413 naming the limit on a request body."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse(
        {
            "detail": _(
                "The request body is larger than the limit of %(size)s "
                "(%(bytes)d bytes)."
            )
            % {"size": filesizeformat(limit), "bytes": limit},
            "limit_bytes": limit,
        },
        status=413,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over the limit is a 413 saying the limit under /api/;
    pages keep Django's 400 page."""
    if is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return too_big()
        return JsonResponse({"detail": _message(400, request)}, status=400)
    return defaults.bad_request(request, exception)


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The same error as {"detail": ...} JSON, keeping the headers that matter;
    DRF's own message when the response has one (the schema view's, in YAML)."""
    data = getattr(response, "data", None)
    detail = data.get("detail") if isinstance(data, dict) else None
    answer = JsonResponse(
        {"detail": str(detail) if detail else _message(response.status_code, request)},
        status=response.status_code,
    )
    for header in KEPT_HEADERS:
        if header in response:
            answer[header] = response[header]
    return answer


class ApiJsonErrorsMiddleware:
    """Turns every non-JSON error answer under /api/ into JSON. In DEBUG a 500
    keeps Django's page with the traceback: that is for the developer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api(request)
            or _is_json(response)
            or (settings.DEBUG and response.status_code >= 500)
        ):
            return response
        return as_json(request, response)
