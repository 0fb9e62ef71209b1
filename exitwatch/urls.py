"""URL root. Admin modules are imported here because the admin does not autodiscover
(settings: SimpleAdminConfig keeps django-leaflet's GDAL-bound admin unloaded)."""

from django.contrib import admin
from django.urls import include, path

import advisories.admin  # noqa: F401  (registers with admin.site)
import routes.admin  # noqa: F401
from routes import views

admin.site.site_header = "ExitWatch"
admin.site.site_title = "ExitWatch"

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # --- read side (issue 3): the public API v1 ---
    path("api/v1/", include("routes.api.urls")),
]
