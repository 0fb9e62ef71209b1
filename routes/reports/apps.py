from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Traveller reports, their moderation and trusted reporters' tokens."""

    name = "routes.reports"
    label = "reports"
    verbose_name = _("Traveller reports")
