"""The map page and /lite/: both read the one cached map document.

The home page draws the map snapshot in the browser (static/js/map.js), so its HTML
holds no data and costs no query; /lite/ renders the same cached snapshot on the
server for browsers without JavaScript, and /lite/crossings/<slug>/ one crossing.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_date
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog
from leaflet import app_settings as leaflet_settings

from exitwatch.lib.formatting import from_iso_z
from routes.mapdoc.lite import current_document, document_at, lite_page
from routes.mapdoc.lite_crossing import lite_crossing_context
from routes.models import BorderCrossing, Mode, Status
from routes.waysout.profile import (
    PROFILE_CHOICES,
    PROFILE_PARAMS,
    Profile,
    profile_from,
)
from routes.waysout.selectors import crossing_verdicts

LITE_MAX_AGE = 15  # seconds; the snapshot itself is cached for as long
JS_CATALOG_MAX_AGE = 365 * 24 * 3600  # its URL carries the catalog's hash


def _map_options() -> dict[str, Any]:
    """The map settings for static/js/map.js, from django-leaflet's configuration."""
    _name, url, options = leaflet_settings["TILES"][0]
    options = options if isinstance(options, dict) else {}
    minx, miny, maxx, maxy = leaflet_settings["SPATIAL_EXTENT"]
    return {
        "tiles_url": url,
        "attribution": options.get("attribution", ""),
        "attribution_prefix": leaflet_settings["ATTRIBUTION_PREFIX"] or "",
        "min_zoom": leaflet_settings["MIN_ZOOM"] or 2,
        "max_zoom": options.get("maxZoom") or leaflet_settings["MAX_ZOOM"] or 18,
        "bounds": json.dumps([[miny, minx], [maxy, maxx]]),
    }


@cache
def _catalog_version() -> str:
    """A hash of the compiled JavaScript catalogs: part of their URL, so they can be
    cached for a year and still change on the deploy that changes them."""
    digest = hashlib.sha256()
    for lang, _name in settings.LANGUAGES:
        for base in settings.LOCALE_PATHS:
            path = base / lang / "LC_MESSAGES" / "djangojs.mo"
            if path.exists():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def _service_worker_script() -> bytes:
    """static/js/sw.js under its settings: the offline notice in every language,
    whether static URLs are hashed, and a version that changes with the worker,
    the deploy's static files, the catalogs or the words (it names the cache of
    the static files, so a deploy drops the old ones)."""
    source = finders.find("js/sw.js")
    with open(source, "rb") as file:
        body = file.read()
    words = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            words[lang] = {
                "copy": gettext(
                    "No connection to ExitWatch. This is a copy from %(age)s "
                    "(%(time)s); it is not current."
                ),
                "msk": pgettext("time zone", "MSK"),
            }
    version = hashlib.sha256(
        body
        + getattr(staticfiles_storage, "manifest_hash", "").encode()
        + _catalog_version().encode()
        + json.dumps(words, sort_keys=True).encode()
    ).hexdigest()[:12]
    config = {
        "version": version,
        "staticHashed": settings.STATIC_MANIFEST,
        "words": words,
    }
    return b"self.EXITWATCH = " + json.dumps(config).encode() + b";\n" + body


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline worker, at the site's root so that its scope is every page.
    Never cached: the browser must see a new deploy's worker at once."""
    response = HttpResponse(
        _service_worker_script(), content_type="application/javascript"
    )
    response["Cache-Control"] = "no-cache"
    return response


def js_catalog_url(lang: str) -> str:
    return f"{reverse('js-catalog', args=[lang])}?v={_catalog_version()}"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    lang = translation.get_language()
    context = {
        "map": _map_options(),
        # The lean document in the page's language: under the ~16 KB that
        # filtered networks let through (docs/map-snapshot.md).
        "snapshot_url": reverse("api:map-lean", args=[lang]),
        # A popup fetches the rest of its crossing from here ("-" is the slug).
        "crossing_detail_url": reverse("api:map-crossing", args=["-"]),
        "js_catalog_url": js_catalog_url(lang),
        "statuses": Status.choices,
        "modes": Mode.choices,
        "at_requested": "at" in request.GET,
        # The "open to me" selects; the profile itself is read from the page's
        # URL (or this browser, if the person asked) by the script, never here.
        "profile_choices": PROFILE_CHOICES,
        "profile_default": Profile(),
        "open_to_me_url": reverse("api:open-to-me"),
    }
    return render(request, "mapdoc/home.html", context)


@require_safe
def lite(request: HttpRequest) -> HttpResponse:
    """Text only, no script, no cookie: cacheable by any proxy for a few seconds.

    The language can be chosen in the URL (?lang=ru): the switcher on this page is
    a link, not the site's POST form, which would need a CSRF cookie. ?at= shows
    the crossings as they stood then (a date, or a date and time; its form is a
    plain GET form, so it needs no script and sets no cookie); a value that names
    no past moment is a 400 page saying why.
    """
    chosen = _chosen_language(request)
    lang = translation.get_language()
    at_value = request.GET.get("at", "").strip()
    context: dict[str, Any] = {
        "chosen_lang": chosen,
        "at_value": at_value,
        "at_date": at_value[:10],
    }
    try:
        document = document_at(at_value)
    except ValidationError as exc:
        context["at_errors"] = exc.messages
        response = render(request, "mapdoc/lite_bad_at.html", context, status=400)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response
    if document is None:
        _etag, document = current_document()
        context["at_value"] = context["at_date"] = ""
    elif len(at_value) == 10:
        # A bare date means the end of that day in UTC: named as the day itself.
        context["at_day"] = parse_date(at_value)
    verdicts, context["profile"], context["profile_errors"] = _verdicts(
        request, document
    )
    context["profile_choices"] = PROFILE_CHOICES
    context["only_open"] = verdicts is not None and request.GET.get("open") == "1"
    context["page"] = lite_page(
        document=document,
        lang=lang,
        verdicts=verdicts,
        only_open=context["only_open"],
    )
    response = render(request, "mapdoc/lite.html", context)
    if any(request.GET.get(name) for name in PROFILE_PARAMS):
        # A page for one traveller's documents (even ones that cannot be):
        # no shared cache keeps it.
        patch_cache_control(response, private=True, max_age=LITE_MAX_AGE)
    else:
        patch_cache_control(response, public=True, max_age=LITE_MAX_AGE)
    # The language comes from Accept-Language or the language cookie.
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _chosen_language(request: HttpRequest) -> str:
    """The language ?lang= names, made active for this request, or ""."""
    chosen = request.GET.get("lang", "")
    if chosen not in dict(settings.LANGUAGES):
        return ""
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    return chosen


@require_safe
def lite_crossing(request: HttpRequest, slug: str) -> HttpResponse:
    """One crossing as text, for the links on /lite/: no script, no cookie,
    cacheable like /lite/ (?lang= as there)."""
    chosen = _chosen_language(request)
    crossing = get_object_or_404(BorderCrossing, slug=slug)
    context = {"chosen_lang": chosen, **lite_crossing_context(crossing=crossing)}
    response = render(request, "mapdoc/lite_crossing.html", context)
    patch_cache_control(response, public=True, max_age=LITE_MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _verdicts(
    request: HttpRequest, document: dict[str, Any]
) -> tuple[dict[str, tuple[bool, str]] | None, Profile | None, list[str]]:
    """Per crossing, whether it is open to the traveller the query describes
    (and the first reason if not), or None when it describes nobody or
    cannot be (with the messages why). The profile is read for this page
    only: never stored or logged."""
    if not any(request.GET.get(name) for name in PROFILE_PARAMS):
        return None, None, []
    profile, errors = profile_from(request.GET)
    if errors:
        return None, None, [m for messages in errors.values() for m in messages]
    at = from_iso_z(document.get("at"))
    lang = translation.get_language()
    verdicts = {}
    for slug, verdict in crossing_verdicts(profile=profile, at=at).items():
        blocking = next((r for r in verdict.reasons if r.blocks), None)
        verdicts[slug] = (verdict.open_to_you, blocking.say(lang) if blocking else "")
    return verdicts, profile, []


@require_safe
def js_catalog(request: HttpRequest, lang: str) -> HttpResponse:
    """The djangojs translations of one language, at a URL that names it, so a
    shared cache never hands Russian strings to an English page."""
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(lang):
        response = JavaScriptCatalog.as_view(packages=["routes"])(request)
    response["Content-Language"] = lang
    patch_cache_control(response, public=True, max_age=JS_CATALOG_MAX_AGE)
    return response
