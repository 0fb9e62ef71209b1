"""API v1: one router for every app, the map document, the schema and its docs.

The composition root of the API: the one module that imports every app's views."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from advisories.api.views import AdvisoryViewSet
from alerts.api.views import SubscriptionViewSet
from exitwatch.lib.api.routers import ApiRouter
from routes.access.api import AccessRulesView
from routes.api import views
from routes.entry.api import EntryRulesView
from routes.flights.api import views as flights
from routes.mapdoc.api import SourceHealthList, map_crossing, map_lean, map_snapshot
from routes.places.api import PlacesView
from routes.reports import api as reports
from routes.waysout.api import OpenToMeView, WaysOutView

app_name = "api"

# Its root (/api/v1/) lists every endpoint below, not only the viewsets.
router = ApiRouter()
router.register("crossings", views.CrossingViewSet, basename="crossing")
router.register("routes", views.RouteViewSet, basename="route")
router.register("airports", flights.AirportViewSet, basename="airport")
router.register("flights", flights.FlightViewSet, basename="flight")
router.register("advisories", AdvisoryViewSet, basename="advisory")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")

urlpatterns = [
    path("map/", map_snapshot, name="map"),
    # The shape the map page loads (under the ~16 KB some networks let through),
    # and what a popup adds to it: both cut from the same build as map/.
    path("map/lean/<str:lang>/", map_lean, name="map-lean"),
    path("map/crossings/<slug:slug>/", map_crossing, name="map-crossing"),
    path("sources/", SourceHealthList.as_view(), name="sources"),
    path("entry-rules/", EntryRulesView.as_view(), name="entry-rules"),
    path("ways-out/", WaysOutView.as_view(), name="ways-out"),
    path("open-to-me/", OpenToMeView.as_view(), name="open-to-me"),
    path("places/", PlacesView.as_view(), name="places"),
    path("access-rules/", AccessRulesView.as_view(), name="access-rules"),
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
    # Traveller reports: anonymous posts with a form token, public approved reports.
    path("reports/", reports.ReportsView.as_view(), name="reports"),
    path(
        "reports/form-token/",
        reports.FormTokenView.as_view(),
        name="report-form-token",
    ),
    path(
        "reports/crossings/<slug:slug>/",
        reports.CrossingReportsView.as_view(),
        name="crossing-reports",
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
