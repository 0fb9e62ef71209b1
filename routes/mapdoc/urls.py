"""The map page, /lite/ and the map's JavaScript translations (the map documents
themselves are under /api/v1/map/, in the API's urls)."""

from django.urls import path

from routes.mapdoc import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lite/", views.lite, name="lite"),
    path("jsi18n/<str:lang>/", views.js_catalog, name="js-catalog"),
]
