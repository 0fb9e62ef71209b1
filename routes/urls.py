"""Public pages about crossings and flights (the API lives under routes/api/)."""

from django.urls import path

from routes import views

urlpatterns = [
    path("", views.home, name="home"),
    path("crossings/<slug:slug>/", views.crossing_detail, name="crossing-detail"),
    path("lite/", views.lite, name="lite"),
    path("flights/", views.flights, name="flights"),
    path("jsi18n/<str:lang>/", views.js_catalog, name="js-catalog"),
]
