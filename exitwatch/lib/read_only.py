"""The read-only switch (DJANGO_READ_ONLY=1): reads work, every write gets a 503.

For a database migration, a failover to a replica, or an incident: the map, pages
and API keep answering while nothing can change the data. A banner on every page
says so. Switching language is allowed: it only sets a cookie. Logging in to the
admin is a write (a session row, a lockout record), so it waits too; staff are told
why on the 503 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
RETRY_AFTER_SECONDS = 300


def _allowed_writes() -> frozenset[str]:
    return frozenset({reverse("set_language")})


class ReadOnlyMiddleware:
    """Refuse non-safe methods with 503 while settings.READ_ONLY is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.READ_ONLY
            and request.method not in SAFE_METHODS
            and request.path not in _allowed_writes()
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        message = _(
            "ExitWatch is read-only for maintenance: nothing can be changed right "
            "now. Everything shown is still the latest data. Please try again later."
        )
        wants_json = request.path.startswith("/api/") or "json" in request.headers.get(
            "Accept", ""
        )
        if wants_json:
            response: HttpResponse = JsonResponse(
                {"detail": message, "code": "read_only"}, status=503
            )
        else:
            response = HttpResponse(
                render_to_string(
                    "exitwatch/read_only.html", {"message": message}, request=request
                ),
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def read_only(request: HttpRequest) -> dict[str, bool]:
    """Context processor: `read_only` for the banner in base.html."""
    return {"read_only": settings.READ_ONLY}
