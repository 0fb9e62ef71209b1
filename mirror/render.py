"""Rendering the site's documents for a mirror, through its own views.

Each document is asked of its view as a request to the canonical site
(SITE_URL), without the middleware: no session, cookie or login is made. The
request carries `mirror`, a MirrorPage, which the templates' `site_url` and
`asset` tags ask (exitwatch.lib.templatetags.pages): a link to a document the
mirror has becomes a file path relative to the page, so the copy works under
any path prefix, from file:// and through an IPFS gateway; any other link (the
map, the admin, the report form) goes to the canonical site.
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from mirror.documents import (
    ORIGINS_PAGE,
    PAGE_LANGS,
    WAYS_OUT_PROFILES,
    Document,
    normalised,
    page_file,
    url_of,
)
from routes.places.selectors import places_all


class ExportFailed(RuntimeError):
    """The mirror could not be made; nothing was replaced."""


class MirrorSite:
    """One export's documents by URL, and the static files its pages use."""

    def __init__(
        self, site_url: str, documents: list[Document], made_at: datetime
    ) -> None:
        self.site_url = site_url.rstrip("/")
        # Every page of one export says the same "made at": the export's start.
        self.made_at = made_at
        split = urlsplit(self.site_url)
        self.host, self.secure = split.netloc, split.scheme == "https"
        self.documents = documents
        self.files = {document.url: document.file for document in documents}
        self.assets: set[str] = set()
        self.factory = RequestFactory()


class MirrorPage:
    """What a page rendered for the mirror asks of it: where its links go."""

    def __init__(self, site: MirrorSite, document: Document) -> None:
        self.site = site
        self.document = document

    def relative(self, file: str) -> str:
        return posixpath.relpath(file, posixpath.dirname(self.document.file) or ".")

    def link(self, url: str) -> str:
        target = self.site.files.get(normalised(url))
        return self.relative(target) if target else self.site.site_url + url

    def asset(self, path: str) -> str:
        self.site.assets.add(path)
        return self.relative(f"static/{path}")

    @property
    def alternates(self) -> list[tuple[str, str]]:
        """(language, link) of this page in each language the mirror has it in."""
        split = urlsplit(self.document.url)
        query = dict(parse_qsl(split.query))
        found = []
        for lang in PAGE_LANGS:
            url = normalised(f"{split.path}?{urlencode({**query, 'lang': lang})}")
            if url in self.site.files:
                found.append((lang, self.relative(self.site.files[url])))
        return found

    @property
    def origins(self) -> str:
        """The mirror's index of the ways out from every origin, in this language."""
        return self.relative(
            page_file(ORIGINS_PAGE, self.document.lang or PAGE_LANGS[0])
        )


def _request(site: MirrorSite, document: Document, path: str, query: str) -> object:
    request = site.factory.get(
        path, dict(parse_qsl(query)), secure=site.secure, HTTP_HOST=site.host
    )
    request.mirror = MirrorPage(site, document)
    return request


def document_render(site: MirrorSite, document: Document) -> bytes:
    """The document's bytes as its view answers; ExportFailed on anything but 200."""
    split = urlsplit(document.url)
    request = _request(site, document, split.path, split.query)
    match = resolve(split.path)
    request.resolver_match = match
    try:
        with translation.override(document.lang or settings.LANGUAGE_CODE):
            response = match.func(request, *match.args, **match.kwargs)
    except DisallowedHost:
        # The feeds write absolute links to the host asked, which must be allowed.
        raise ExportFailed(
            f"SITE_URL's host {site.host} is not in DJANGO_ALLOWED_HOSTS"
        ) from None
    if response.status_code != 200:
        raise ExportFailed(f"{document.url} answered {response.status_code}")
    return response.content


def origins_render(site: MirrorSite, lang: str) -> tuple[str, bytes]:
    """The mirror's own page listing, for every origin, its ways-out pages: the
    site's question form needs a server to answer it."""
    document = Document("", page_file(ORIGINS_PAGE, lang), lang)
    request = _request(site, document, url_of("ways-out"), "")
    page = request.mirror
    with translation.override(lang):
        rows = [
            (
                place.name_ru if lang == "ru" else place.name_en,
                [
                    (
                        key,
                        page.link(
                            url_of(
                                "ways-out",
                                **{"from": place.slug, "lang": lang},
                                **profile.as_params(),
                            )
                        ),
                    )
                    for key, profile in WAYS_OUT_PROFILES
                ],
            )
            for place in places_all()
        ]
        rows.sort(key=lambda row: row[0].casefold())
        response = render(
            request,
            "mirror/origins.html",
            {
                "rows": rows,
                "lite": page.link(url_of("lite", lang=lang)),
                "alternates": [
                    (code, page.relative(page_file(ORIGINS_PAGE, code)))
                    for code in PAGE_LANGS
                ],
            },
        )
    return document.file, response.content
