"""API v1: one router for every app, the map snapshot, the schema and its docs."""

from django.urls import path

from routes.api.map import map_snapshot

app_name = "api"

urlpatterns = [
    path("map/", map_snapshot, name="map"),
]
