"""/ways-out/: every way out for one traveller, a page that works without script."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from routes.places.selectors import places_all
from routes.waysout.api import question_from
from routes.waysout.present import ways_out_data
from routes.waysout.profile import PROFILE_CHOICES
from routes.waysout.selectors import ways_out

# The answer names a person's documents: a shared cache must not keep it.
PAGE_MAX_AGE = 60


@require_safe
def ways_out_page(request: HttpRequest) -> HttpResponse:
    """The question is a plain GET form (the profile stays in the URL, and in
    the browser only if the person asks); the answer lists the ways open to
    them first, each with its reasons, figures, sources and ages. ?lang= picks
    the language without the site's POST form, as on /lite/."""
    chosen = request.GET.get("lang", "")
    if chosen in dict(settings.LANGUAGES):
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
    lang = translation.get_language()
    place, profile, at, errors = question_from(request.GET)
    if not request.GET.get("from"):
        # No question yet (or a profile brought from another page): the form.
        errors.pop("from", None)
    context: dict[str, Any] = {
        "chosen_lang": chosen if chosen in dict(settings.LANGUAGES) else "",
        "places": places_all(),
        "profile": profile,
        "place": place,
        "at_value": request.GET.get("at", "").strip(),
        "errors": errors,
        "choices": PROFILE_CHOICES,
    }
    status = 200
    if errors:
        status = 400
    elif place is not None:
        answer = ways_out_data(ways_out(place=place, profile=profile, at=at), lang)
        context["answer"] = answer
        context["at_moment"] = at
        context["profile_words"] = [
            str(dict(PROFILE_CHOICES[name])[getattr(profile, name)])
            for name in ("citizenship", "document", "visa", "mode")
            if getattr(profile, name)
        ]
        context["open_ways"] = [w for w in answer["ways"] if w["open_to_you"]]
        context["shut_ways"] = [w for w in answer["ways"] if not w["open_to_you"]]
    response = render(request, "waysout/page.html", context, status=status)
    patch_cache_control(response, private=True, max_age=PAGE_MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
