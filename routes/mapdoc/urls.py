"""The map page, /lite/ and one crossing's text page, the map's JavaScript
translations and the offline worker (the map documents themselves are under
/api/v1/map/, in the API's urls)."""

from django.urls import path

from routes.mapdoc import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lite/", views.lite, name="lite"),
    path("lite/crossings/<slug:slug>/", views.lite_crossing, name="lite-crossing"),
    path("jsi18n/<str:lang>/", views.js_catalog, name="js-catalog"),
    path("sw.js", views.service_worker, name="service-worker"),
]
