"""The Atom feeds: every status change, one crossing's changes, one neighbour
country's crossings, and advisory changes (docs/feeds.md).

A feed reader asks again every few minutes, so each feed first answers the
cheap question: its ETag and Last-Modified come from the newest history row
(one query on the primary key), and a reader that has it gets a 304 with no
further query. Only a changed feed compares the history (two queries) and
writes the document, once: later readers get the same bytes from the cache.

The language is English unless the URL asks for Russian (?lang=ru): a
subscription keeps the language it was made in, whatever the reader's own
settings, and a shared cache can keep each URL as it is.
"""

from __future__ import annotations

import hashlib
from calendar import timegm
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from routes.feeds import selectors
from routes.feeds.entries import (
    Entry,
    advisory_entry,
    country_name,
    crossing_path,
    crossing_title,
    update_entry,
)
from routes.models import BorderCrossing

FEED_MAX_AGE = 60  # seconds a reader or a proxy may keep a feed unasked
# Part of every ETag: a release that changes what entries say changes it too.
FEED_FORMAT = "1"
# A written document is kept this long; a new history row changes its key first.
DOCUMENT_CACHE_SECONDS = 3600
# The date in the advisory entries' tag URIs (RFC 4151): fixed, so ids last.
TAG_DATE = "2026"


@dataclass(frozen=True)
class FeedDocument:
    """What one Atom document says about itself, and its entries."""

    title: str
    subtitle: str
    link: str
    self_url: str
    entries: list[Entry]


class AtomFeed(Feed):
    """Writes a FeedDocument built for one request as Atom."""

    feed_type = Atom1Feed
    author_name = "ExitWatch"

    def __init__(self, document: FeedDocument) -> None:
        self.document = document

    def get_object(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> FeedDocument:
        return self.document

    def title(self, document: FeedDocument) -> str:
        return document.title

    def subtitle(self, document: FeedDocument) -> str:
        return document.subtitle

    def description(self, document: FeedDocument) -> str:
        return document.subtitle

    def link(self, document: FeedDocument) -> str:
        return document.link

    def feed_url(self, document: FeedDocument) -> str:
        return document.self_url

    def feed_guid(self, document: FeedDocument) -> str:
        return document.self_url

    def items(self, document: FeedDocument) -> list[Entry]:
        return document.entries

    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_description(self, entry: Entry) -> str:
        return entry.html

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_guid(self, entry: Entry) -> str:
        return entry.id

    def item_pubdate(self, entry: Entry) -> datetime:
        return entry.published

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.updated

    def item_author_name(self, entry: Entry) -> str:
        return entry.author


def feed_language(request: HttpRequest) -> str:
    """?lang= when it names a language of the site, else the default (English)."""
    chosen = request.GET.get("lang", "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _serve(
    request: HttpRequest,
    marker: selectors.Marker | None,
    build: Callable[[Callable[[str], str], str], FeedDocument],
) -> HttpResponse:
    """The feed, or a 304 when the reader's copy is current."""
    lang = feed_language(request)
    newest = f"{marker.id}@{marker.recorded_at.isoformat()}" if marker else "none"
    key = f"{FEED_FORMAT}|{request.path}|{lang}|{newest}"
    etag = f'W/"{hashlib.sha256(key.encode()).hexdigest()[:24]}"'
    last_modified = timegm(marker.recorded_at.utctimetuple()) if marker else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = _document(request, etag, lang, build)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def _document(
    request: HttpRequest,
    etag: str,
    lang: str,
    build: Callable[[Callable[[str], str], str], FeedDocument],
) -> HttpResponse:
    """The Atom document, written once per ETag: comparing a long history costs
    a few hundred milliseconds (docs/feeds.md), which every reader asking after
    a change would otherwise pay. Its links are absolute, so the address the
    request came to is part of the key."""
    key = f"feeds:{request.scheme}://{request.get_host()}:{etag}"
    body = cache.get(key)
    if body is None:
        suffix = "" if lang == settings.LANGUAGE_CODE else f"?lang={lang}"
        with translation.override(lang):
            document = build(request.build_absolute_uri, suffix)
            body = AtomFeed(document)(request).content
        cache.set(key, body, DOCUMENT_CACHE_SECONDS)
    response = HttpResponse(body, content_type=Atom1Feed.content_type)
    response["Content-Language"] = lang
    return response


@require_safe
def changes_feed(request: HttpRequest) -> HttpResponse:
    def build(absolute: Callable[[str], str], suffix: str) -> FeedDocument:
        return FeedDocument(
            title=_("ExitWatch: border crossing changes"),
            subtitle=_(
                "Each change of a border crossing's status, newest first: "
                "which side, from what to what, when it was observed, and who "
                "says so."
            ),
            link=absolute(reverse("home")),
            self_url=absolute(request.path) + suffix,
            entries=[
                update_entry(row, absolute)
                for row in selectors.status_changes(newest=newest)
            ],
        )

    newest = selectors.crossing_updates_newest()
    return _serve(request, newest, build)


@require_safe
def crossing_feed(request: HttpRequest, slug: str) -> HttpResponse:
    crossing = get_object_or_404(BorderCrossing, slug=slug)

    def build(absolute: Callable[[str], str], suffix: str) -> FeedDocument:
        return FeedDocument(
            title=_("ExitWatch: %(crossing)s") % {"crossing": crossing_title(crossing)},
            subtitle=_(
                "Changes of this crossing's status and waits, newest first, "
                "each with when it was observed and who says so."
            ),
            link=absolute(crossing_path(crossing)),
            self_url=absolute(request.path) + suffix,
            entries=[
                update_entry(row, absolute)
                for row in selectors.crossing_changes(crossing=crossing)
            ],
        )

    return _serve(request, selectors.crossing_updates_newest(), build)


@require_safe
def country_feed(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if not selectors.country_has_crossings(code):
        raise Http404("No crossing on the border with this country.")

    def build(absolute: Callable[[str], str], suffix: str) -> FeedDocument:
        country = country_name(code)
        return FeedDocument(
            title=_("ExitWatch: crossings into %(country)s") % {"country": country},
            subtitle=_(
                "Each change of the status of a crossing into %(country)s, "
                "newest first, with when it was observed and who says so."
            )
            % {"country": country},
            link=absolute(f"{reverse('lite')}#c-{code.lower()}"),
            self_url=absolute(request.path) + suffix,
            entries=[
                update_entry(row, absolute)
                for row in selectors.status_changes(newest=newest, country=code)
            ],
        )

    newest = selectors.crossing_updates_newest()
    return _serve(request, newest, build)


@require_safe
def advisories_feed(request: HttpRequest) -> HttpResponse:
    def build(absolute: Callable[[str], str], suffix: str) -> FeedDocument:
        tag_base = f"tag:{request.get_host().split(':')[0]},{TAG_DATE}"
        return FeedDocument(
            title=_("ExitWatch: travel advisories"),
            subtitle=_(
                "Changes in governments' travel advice, newest first: a new "
                "advisory, a level raised or lowered, a changed text."
            ),
            link=absolute(reverse("advisories")),
            self_url=absolute(request.path) + suffix,
            entries=[
                advisory_entry(revision, tag_base)
                for revision in selectors.advisory_changes()
            ],
        )

    return _serve(request, selectors.advisory_revisions_newest(), build)
