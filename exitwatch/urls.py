"""URL root: every app's pages, the API, the admin and the probes. Admin modules
register themselves when the admin app is ready (exitwatch.apps)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from exitwatch.lib import health

# A request Django refuses before any view (a body over the limit) is a JSON
# answer under /api/ (exitwatch.lib.api.errors); the other errors there are made
# JSON by its middleware.
handler400 = "exitwatch.lib.api.errors.bad_request"

admin.site.site_header = "ExitWatch"
admin.site.site_title = "ExitWatch"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include("exitwatch.api_urls")),
    # Traveller reports: /report/, /privacy/ and /api/v1/reports/.
    path("", include("routes.reports.urls")),
    # Public pages: map, crossing pages, lite, flights, advisories.
    path("", include("routes.mapdoc.urls")),
    path("", include("routes.urls")),
    path("", include("routes.waysout.urls")),
    path("", include("routes.flights.urls")),
    # Atom feeds of changes: /feeds/changes.atom and the like.
    path("", include("routes.feeds.urls")),
    path("advisories/", include("advisories.urls")),
    # The Telegram bot's webhook: /telegram/webhook/.
    path("", include("alerts.telegram.urls")),
    # The key that signs the static mirrors: /.well-known/exitwatch-mirror-key.
    path("", include("mirror.urls")),
]
