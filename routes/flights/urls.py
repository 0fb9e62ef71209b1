"""The public flights page."""

from django.urls import path

from routes.flights import views

urlpatterns = [
    path("flights/", views.flights, name="flights"),
]
