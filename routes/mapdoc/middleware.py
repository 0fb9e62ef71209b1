"""Serve the map snapshot ahead of the session, locale, CSRF and auth layers.

The snapshot is the same for everyone, like a static file (the lean shape names
its language in its URL); so, like WhiteNoise with static files, it is answered
before middleware that would only add work and a misleading `Vary:
Accept-Language`. Security headers still apply (this sits after
SecurityMiddleware). The URLs stay routed to the same views, so without this
middleware the endpoints behave the same, only slower.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from routes.mapdoc.api import map_crossing, map_lean, map_snapshot

View = Callable[[HttpRequest], HttpResponse]
# What Django's <slug:> path converter admits.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class MapSnapshotMiddleware:
    def __init__(self, get_response: View) -> None:
        self.get_response = get_response
        self._views: dict[str, View] | None = None
        self._crossings = ""

    def _routes(self) -> dict[str, View]:
        # Reversed at the first request: the URLconf is not loaded yet at start.
        self._crossings = reverse("api:map-crossing", args=["x"]).removesuffix("x/")
        return {
            reverse("api:map"): map_snapshot,
            **{
                reverse("api:map-lean", args=[lang]): partial(map_lean, lang=lang)
                for lang, _name in settings.LANGUAGES
            },
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if self._views is None:
                self._views = self._routes()
            path = request.path
            view = self._views.get(path)
            if view is not None:
                return view(request)
            if path.startswith(self._crossings) and path.endswith("/"):
                slug = path[len(self._crossings) : -1]
                if SLUG.fullmatch(slug):
                    return map_crossing(request, slug)
        return self.get_response(request)
