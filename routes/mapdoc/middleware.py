"""Serve the map snapshot ahead of the session, locale, CSRF and auth layers.

The snapshot is the same for everyone in every language, like a static file; so,
like WhiteNoise with static files, it is answered before middleware that would
only add work and a misleading `Vary: Accept-Language`. Security headers still
apply (this sits after SecurityMiddleware). The URL stays routed to the same view,
so without this middleware the endpoint behaves the same, only slower.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from routes.mapdoc.api import map_snapshot


class MapSnapshotMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._path is None:
            self._path = reverse("api:map")
        if request.path == self._path and request.method in ("GET", "HEAD"):
            return map_snapshot(request)
        return self.get_response(request)
