"""The map page, /lite/, the map's JavaScript translations and the offline
worker (the map document itself is GET /api/v1/map/, in the API's urls)."""

from django.urls import path

from routes.mapdoc import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lite/", views.lite, name="lite"),
    path("jsi18n/<str:lang>/", views.js_catalog, name="js-catalog"),
    path("sw.js", views.service_worker, name="service-worker"),
]
