"""The mirror's public key, where readers and other sites can fetch it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

# The key changes only when the operator makes a new one: a day is short enough.
KEY_MAX_AGE = 24 * 3600


@require_safe
def mirror_key(request: HttpRequest) -> HttpResponse:
    """The base64 Ed25519 public key that signs this site's mirrors; 404 when
    the site signs none."""
    if not settings.MIRROR_PUBLIC_KEY:
        raise Http404("This site signs no mirror.")
    response = HttpResponse(
        f"{settings.MIRROR_PUBLIC_KEY}\n", content_type="text/plain; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=KEY_MAX_AGE)
    return response
