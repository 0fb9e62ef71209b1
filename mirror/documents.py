"""What a mirror holds: each document the site answers, and the file it becomes.

A document's file is its URL's path (no leading slash), with a language mark
when the language is not the one its kind defaults to: the pages default to
Russian (`index.html`, `crossings/<slug>.en.html`), the feeds to English as on
the site (`feeds/changes.atom`, `feeds/changes.ru.atom`). Adding a document of
the site that exists once is one line in SINGLE.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import reverse

from routes.models import BorderCrossing
from routes.places.selectors import places_all
from routes.waysout.profile import Document as Papers
from routes.waysout.profile import Profile

# The pages' languages; the first is the mirror's own (index.html).
PAGE_LANGS = ("ru", "en")
FEED_LANGS = ("en", "ru")  # the first is the feeds' default, as on the site
# The full map document, for programs; the map page reads the lean one, one per
# language (map-lean.<lang>.json).
MAP_FILE = "map.json"
# The Atom feeds that are not about one crossing or country.
FEEDS = ["feed-changes", "feed-advisories"]
# The ways out worked out for every origin: (file name, profile). The default
# Profile is a Russian citizen with a foreign passport, no visa, any way.
WAYS_OUT_PROFILES = [
    ("internal", Profile(document=Papers.INTERNAL)),
    ("passport", Profile()),
]
ORIGINS_PAGE = "ways-out/index"  # the mirror's own index of origins


@dataclass(frozen=True)
class Document:
    url: str  # path and query, as `normalised` writes them
    file: str  # where the mirror keeps it, relative to its root
    lang: str  # the page's language, "" for one in none


def normalised(url: str) -> str:
    """`url` with its query sorted, so one document has one key."""
    split = urlsplit(url)
    query = sorted(parse_qsl(split.query))
    return split.path + (f"?{urlencode(query)}" if query else "")


def url_of(name: str, *args: object, **query: str) -> str:
    url = reverse(name, args=args)
    return normalised(f"{url}?{urlencode(query)}" if query else url)


def _marked(file: str, lang: str, default: str) -> str:
    if lang == default:
        return file
    stem, dot, ext = file.rpartition(".")
    return f"{stem}.{lang}.{ext}" if dot else f"{file}.{lang}"


def page_file(stem: str, lang: str) -> str:
    return _marked(f"{stem}.html", lang, PAGE_LANGS[0])


def _feed(name: str, *args: object) -> list[Document]:
    path = reverse(name, args=args)
    return [
        Document(
            url_of(name, *args)
            if lang == FEED_LANGS[0]
            else url_of(name, *args, lang=lang),
            _marked(path.lstrip("/"), lang, FEED_LANGS[0]),
            lang,
        )
        for lang in FEED_LANGS
    ]


def documents() -> list[Document]:
    """Every document of a mirror, as the site stands now."""
    found = []
    found.append(Document(url_of("api:map"), MAP_FILE, ""))
    for lang in PAGE_LANGS:
        found.append(
            Document(url_of("api:map-lean", lang), f"map-lean.{lang}.json", lang)
        )
    crossings = list(
        BorderCrossing.objects.order_by("slug").values_list("slug", "country")
    )
    for lang in PAGE_LANGS:
        found.append(
            Document(url_of("lite", lang=lang), page_file("index", lang), lang)
        )
        for slug, _country in crossings:
            found.append(
                Document(
                    url_of("lite-crossing", slug, lang=lang),
                    page_file(f"crossings/{slug}", lang),
                    lang,
                )
            )
        for place in places_all():
            for key, profile in WAYS_OUT_PROFILES:
                found.append(
                    Document(
                        url_of(
                            "ways-out",
                            **{"from": place.slug, "lang": lang},
                            **profile.as_params(),
                        ),
                        page_file(f"ways-out/{place.slug}/{key}", lang),
                        lang,
                    )
                )
    for name in FEEDS:
        found += _feed(name)
    for slug, _country in crossings:
        found += _feed("feed-crossing", slug)
    for code in sorted({country for _slug, country in crossings}):
        found += _feed("feed-country", code)
    return found
