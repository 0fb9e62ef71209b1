"""URL root. Admin modules are imported here because the admin does not autodiscover
(settings: SimpleAdminConfig keeps django-leaflet's GDAL-bound admin unloaded)."""

from django.contrib import admin
from django.urls import include, path

import advisories.admin  # noqa: F401  (registers with admin.site)
import routes.admin  # noqa: F401
import routes.report_admin  # noqa: F401  (issue 6: traveller reports)

admin.site.site_header = "ExitWatch"
admin.site.site_title = "ExitWatch"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # --- read side (issue 3): the public API v1 ---
    path("api/v1/", include("routes.api.urls")),
    # Issue 6, traveller reports: /report/, /privacy/ and /api/v1/reports/.
    path("", include("routes.report_urls")),
]

# --- Public pages: map, crossing pages, lite, flights, advisories (issue 5) ---
urlpatterns += [
    path("", include("routes.urls")),
    path("advisories/", include("advisories.urls")),
]
