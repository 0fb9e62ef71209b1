"""Public advisory pages (the API lives under the read side's api/)."""

from django.urls import path

from advisories import views

urlpatterns = [
    path("", views.advisory_list, name="advisories"),
]
