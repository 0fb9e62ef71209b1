"""API v1: one router for every app, the map snapshot, the schema and its docs."""

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from advisories.api.views import AdvisoryViewSet, SourceHealthList
from routes.api import flights, views
from routes.api.map import map_snapshot

app_name = "api"

router = DefaultRouter()
router.register("crossings", views.CrossingViewSet, basename="crossing")
router.register("routes", views.RouteViewSet, basename="route")
router.register("airports", views.AirportViewSet, basename="airport")
router.register("flights", flights.FlightViewSet, basename="flight")
router.register("advisories", AdvisoryViewSet, basename="advisory")

urlpatterns = [
    path("map/", map_snapshot, name="map"),
    path("sources/", SourceHealthList.as_view(), name="sources"),
    path(
        "crossings/<slug:slug>/history/",
        views.CrossingHistoryView.as_view(),
        name="crossing-history",
    ),
    path(
        "crossings/<slug:slug>/updates/",
        views.CrossingUpdateCreateView.as_view(),
        name="crossing-updates",
    ),
    # Before the router, whose flights/{id}/ would otherwise take "summary".
    path(
        "flights/summary/", flights.FlightSummaryView.as_view(), name="flight-summary"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The split view serves its init script as a file: no inline script, so a
        # strict Content-Security-Policy holds on the docs page too.
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    path("", include(router.urls)),
]

if settings.EXITWATCH_BENCH_BASELINE:  # benchmarks only: see bench/read_side.py
    from bench.baseline import PlainCrossingList

    urlpatterns.insert(0, path("bench/plain-crossings/", PlainCrossingList.as_view()))
