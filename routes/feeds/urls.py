"""The Atom feeds (docs/feeds.md)."""

from django.urls import path, re_path

from routes.feeds import views

urlpatterns = [
    path("feeds/changes.atom", views.changes_feed, name="feed-changes"),
    path(
        "feeds/crossings/<slug:slug>.atom",
        views.crossing_feed,
        name="feed-crossing",
    ),
    # A neighbour country by its ISO 3166 code, in either case (ge or GE).
    re_path(
        r"^feeds/countries/(?P<code>[A-Za-z]{2})\.atom$",
        views.country_feed,
        name="feed-country",
    ),
    path("feeds/advisories.atom", views.advisories_feed, name="feed-advisories"),
]
