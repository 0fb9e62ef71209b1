"""URLs of the advisories app under /api/v1/ (kept apart from the main router)."""

from django.urls import path

from advisories.api.views import SourceHealthList

urlpatterns = [
    path("sources/", SourceHealthList.as_view(), name="api-sources"),
]
