"""The API's router: DRF's DefaultRouter, whose root lists every endpoint.

DRF's root lists only the viewsets registered on the router, so a client
starting at /api/v1/ never learned of the map document, the sources, the
reports, the schema or the docs. This root lists the viewsets as DRF does, then
every other named URL of the API's namespace, read from the URLconf itself so
that an endpoint added later is listed without anyone remembering to; those that
take parameters are given as URL templates (`.../crossings/{slug}/history/`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver
from rest_framework import routers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

# Stands for a URL parameter while reversing: a valid slug, in no host name.
_PLACEHOLDER = "__{name}__"
# DRF's format-suffix twins of every route (`crossings.json`) are not endpoints
# of their own.
_SKIPPED_PARAMS = {"format"}


def _named_patterns(patterns: list[Any]) -> Iterator[tuple[str, list[str]]]:
    """(URL name, its parameters) of every named pattern, includes walked."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            params = list(pattern.pattern.regex.groupindex)
            yield pattern.name, params


class ApiRootView(routers.APIRootView):
    """{"name": "url"} for every endpoint of the API's namespace."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        namespace = request.resolver_match.namespace
        listed = {*self.api_root_dict.values(), request.resolver_match.url_name}
        urlconf = getattr(request._request, "urlconf", None)
        _prefix, resolver = get_resolver(urlconf).namespace_dict[namespace]
        for url_name, params in _named_patterns(resolver.url_patterns):
            if url_name in listed or _SKIPPED_PARAMS & set(params):
                continue
            listed.add(url_name)
            url = _template(f"{namespace}:{url_name}", params, request)
            if url is not None:
                response.data[url_name] = url
        return response


def _template(name: str, params: list[str], request: Request) -> str | None:
    placeholders = {p: _PLACEHOLDER.format(name=p) for p in params}
    try:
        url = reverse(name, kwargs=placeholders, request=request)
    except NoReverseMatch:
        return None
    for param, placeholder in placeholders.items():
        url = url.replace(placeholder, f"{{{param}}}")
    return url


class ApiRouter(routers.DefaultRouter):
    """A DefaultRouter whose root lists every endpoint (ApiRootView)."""

    APIRootView = ApiRootView
