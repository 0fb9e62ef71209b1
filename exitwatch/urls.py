"""URL root. Admin modules are imported here because the admin does not autodiscover
(settings: SimpleAdminConfig keeps django-leaflet's GDAL-bound admin unloaded)."""

import axes.admin  # noqa: F401  (lockouts: see and clear them)
import django_otp.plugins.otp_totp.admin  # noqa: F401  (TOTP devices for staff)
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

import advisories.admin  # noqa: F401  (registers with admin.site)
import outbox.admin  # noqa: F401
import routes.admin  # noqa: F401
import routes.report_admin  # noqa: F401  (issue 6: traveller reports)
from exitwatch import health

admin.site.site_header = "ExitWatch"
admin.site.site_title = "ExitWatch"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),
    # --- security and operations (issue 7) ---
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
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
